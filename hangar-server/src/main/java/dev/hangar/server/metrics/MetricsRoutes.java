package dev.hangar.server.metrics;

import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * {@code GET /metrics}: Hangar's metrics in Prometheus's text format, for administrators, or for a scraper that sends
 * the metrics token ({@code metrics.token-file}) as its bearer token; the token opens nothing else.
 */
public final class MetricsRoutes {
    /** Prometheus's text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HangarMetrics metrics;
    private final Authentication authentication;
    private final byte[] token;

    /** @param tokenFile a file holding the scrapers' token, or null for none (administrators only) */
    public MetricsRoutes(HangarMetrics metrics, Authentication authentication, Path tokenFile) {
        this.metrics = metrics;
        this.authentication = authentication;
        this.token = tokenFile == null ? null : read(tokenFile);
    }

    private static byte[] read(Path file) {
        try {
            var text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.length() < 16) {
                throw new IllegalArgumentException("The metrics token in " + file + " is shorter than 16 characters;"
                        + " write a long random one, e.g. openssl rand -hex 32.");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the metrics token file " + file, e);
        }
    }

    public void mount(RouteTable routes, Blocking blocking) {
        routes.path(HttpMethod.GET, "/metrics", "/metrics", Guard.ADMIN, Action.METRICS_READ,
                blocking.handler(this::scrape));
    }

    private Reply scrape(RoutingContext ctx) {
        if (!bearsToken(ctx)) {
            var caller = authentication.require(ctx);
            if (!caller.admin()) {
                throw ApiException.forbidden("AuthorizationFailed", "Only an administrator, or a scraper with the"
                        + " metrics token, may read the metrics (" + Action.METRICS_READ.azureName() + ").");
            }
        }
        return Reply.text(200, metrics.scrape().getBytes(StandardCharsets.UTF_8), CONTENT_TYPE,
                Map.of("Cache-Control", "no-store"));
    }

    private boolean bearsToken(RoutingContext ctx) {
        var header = ctx.request().getHeader("Authorization");
        if (token == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}

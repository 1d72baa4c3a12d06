package dev.hangar.server.arm;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * The URLs and addresses Hangar hands out: absolute, on the address the caller used (or the configured public URL), so
 * that polling, app links and SSH work through whatever name the caller reached the server by.
 */
public final class ArmUrls {
    public static final String PROVIDER = "/providers/Microsoft.MachineLearningServices";
    private final String publicUrl;
    private final Integer sshPort;

    /** @param sshPort the SSH gateway's port, or null when the gateway is off */
    public ArmUrls(String publicUrl, Integer sshPort) {
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
        this.sshPort = sshPort;
    }

    /** The SSH gateway's port, or null when the gateway is off. */
    public Integer sshPort() {
        return sshPort;
    }

    /** {@code https://host:port}, without a trailing slash. */
    public String base(RoutingContext ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        var request = ctx.request();
        var authority = request.authority();
        var host = authority != null ? authority.toString() : request.localAddress().hostAddress();
        return (request.isSSL() ? "https://" : "http://") + host;
    }

    /**
     * The api-version the caller sent, echoed into the URLs it will poll (escaped: these URLs go into headers); any
     * version is accepted.
     */
    public static String apiVersion(RoutingContext ctx) {
        var version = ctx.request().getParam("api-version");
        return version == null || version.isBlank() ? "2025-12-01" : escape(version);
    }

    /**
     * {@code text} percent-encoded but for RFC 3986's unreserved characters, so that a value Hangar holds (a location)
     * or was sent (an api-version) stays one path segment or query value, and never puts a CR, LF or NUL in a header.
     */
    static String escape(String text) {
        var escaped = new StringBuilder(text.length());
        for (var b : text.getBytes(StandardCharsets.UTF_8)) {
            var c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                escaped.append(c);
            } else {
                escaped.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return escaped.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public String operationStatus(RoutingContext ctx, String subscriptionId, String location, String operationId) {
        return base(ctx) + "/subscriptions/" + escape(subscriptionId) + PROVIDER + "/locations/" + escape(location)
                + "/computeOperationsStatus/" + operationId + "?api-version=" + apiVersion(ctx) + "&service=new";
    }

    public String operationResult(RoutingContext ctx, String subscriptionId, String location, String operationId) {
        return base(ctx) + "/subscriptions/" + escape(subscriptionId) + PROVIDER + "/locations/" + escape(location)
                + "/computeOperationsResults/" + operationId + "?api-version=" + apiVersion(ctx);
    }
}

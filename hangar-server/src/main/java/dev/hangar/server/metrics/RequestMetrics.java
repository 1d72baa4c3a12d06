package dev.hangar.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Times each request by its route as the route table names it ({@code hangar.http.requests}: method, route template,
 * status), so that the label set stays as small as the table: the app gateway's requests are one route of it.
 */
public final class RequestMetrics {
    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * {@code handler}, its requests timed from here until the answer is written.
     *
     * @param template the route's path as the route table writes it, e.g. {@code .../computes/{name}}
     */
    public Handler<RoutingContext> around(String template, Handler<RoutingContext> handler) {
        return ctx -> {
            var start = System.nanoTime();
            ctx.addEndHandler(done -> Timer.builder("hangar.http.requests")
                    .description("Requests, by route, until the answer is written")
                    .tags("method", ctx.request().method().name(), "route", template,
                            "status", Integer.toString(ctx.response().getStatusCode()))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - start)));
            handler.handle(ctx);
        };
    }
}

package dev.hangar.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hangar.core.audit.CallAudit;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ExecutorService;

/**
 * Runs a route's blocking work (store, backends) on a virtual thread and writes its {@link Reply}, or the ARM error
 * body of its failure, back on the request's event loop.
 */
public final class Blocking {
    private final ExecutorService executor;

    public Blocking(ExecutorService executor) {
        this.executor = executor;
    }

    /** A route body that may block. */
    @FunctionalInterface
    public interface Route {
        Reply handle(RoutingContext ctx) throws Exception;
    }

    public Handler<RoutingContext> handler(Route route) {
        return ctx -> {
            var context = Vertx.currentContext();
            executor.execute(() -> {
                Reply reply;
                try {
                    var call = ctx.<CallAudit>get(AuditTrail.CALL);
                    reply = call == null ? route.handle(ctx) : call.during(() -> route.handle(ctx));
                } catch (Throwable failure) {
                    var rendered = ApiErrors.render(failure);
                    reply = Reply.of(rendered.status(), rendered.body());
                }
                var done = reply;
                context.runOnContext(ignored -> write(ctx, done));
            });
        };
    }

    public static void write(RoutingContext ctx, Reply reply) {
        var response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status());
        if (reply.body() instanceof dev.hangar.api.ErrorResponse error && error.error() != null) {
            ctx.put(AuditTrail.ERROR_CODE, error.error().code());
        }
        try {
            reply.headers().forEach(response::putHeader);
        } catch (IllegalArgumentException badHeader) {
            // A value no header can hold (a CR, LF or NUL): answered rather than left without an answer forever.
            var rendered = ApiErrors.render(badHeader);
            response.setStatusCode(rendered.status());
            reply = Reply.of(rendered.status(), rendered.body());
        }
        if (reply.body() == null) {
            response.end();
            return;
        }
        if (reply.body() instanceof java.nio.file.Path file) {
            response.sendFile(file.toString()).onFailure(failure -> ctx.fail(failure));
            return;
        }
        if (reply.body() instanceof byte[] bytes) {
            response.end(io.vertx.core.buffer.Buffer.buffer(bytes));
            return;
        }
        try {
            var bytes = Json.MAPPER.writeValueAsBytes(reply.body());
            response.putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(io.vertx.core.buffer.Buffer.buffer(bytes));
        } catch (JsonProcessingException e) {
            var rendered = ApiErrors.render(e);
            response.setStatusCode(rendered.status()).end(rendered.body().toString());
        }
    }
}

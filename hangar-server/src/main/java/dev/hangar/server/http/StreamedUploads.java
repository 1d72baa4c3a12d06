package dev.hangar.server.http;

import dev.hangar.core.error.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * Request bodies streamed to disk rather than held in memory: the route {@linkplain #paused pauses} the request, so
 * that nothing is read until the caller is known and allowed, and the blocking handler then {@linkplain #receive
 * receives} the body into a file. Their paths must be left out of the server's JSON body handler.
 */
public final class StreamedUploads {
    /** Where a paused request keeps its event-loop context, on which its body is read. */
    private static final String CONTEXT = "hangar.upload.context";

    private StreamedUploads() {
    }

    /** A handler that pauses the request's body and hands the request to {@code route} on a blocking thread. */
    public static Handler<RoutingContext> paused(Blocking blocking, Blocking.Route route) {
        return ctx -> {
            ctx.request().pause();
            ctx.put(CONTEXT, Vertx.currentContext());
            blocking.handler(route).handle(ctx);
        };
    }

    /**
     * Streams the request's body into {@code file}, which must not exist, on the request's event loop; returns once
     * it is all written.
     *
     * @throws ApiException 400 {@code UploadFailed} when the body did not arrive whole
     */
    public static void receive(RoutingContext ctx, Path file) {
        Promise<Void> done = Promise.promise();
        Context context = ctx.get(CONTEXT);
        context.runOnContext(ignored -> ctx.vertx().fileSystem()
                .open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .compose(target -> ctx.request().pipeTo(target))
                .onComplete(done));
        try {
            done.future().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("UploadFailed", "The upload did not arrive whole: " + e.getMessage());
        }
    }

    /**
     * The body's length as the request declares it, or -1 when it does not.
     *
     * @throws ApiException 400 {@code InvalidContentLength}
     */
    public static long declaredLength(RoutingContext ctx) {
        var header = ctx.request().getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("InvalidContentLength", "Content-Length '" + header + "' is not a number.");
        }
    }
}

package dev.hangar.server.http;

import dev.hangar.core.error.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

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
     * Receives a form ({@code multipart/form-data}, or url-encoded) whose request was {@linkplain #paused paused}:
     * each file part is given, paused, to {@code files} on the request's event loop, which reads it (and resumes it)
     * and answers when it is done with it. Returns the form's fields once the whole body has arrived and every part
     * was dealt with.
     *
     * @throws ApiException 400 {@code UploadFailed} when the body did not arrive whole, or a part could not be taken
     */
    public static MultiMap receiveForm(RoutingContext ctx, Function<HttpServerFileUpload, Future<Void>> files) {
        Promise<MultiMap> done = Promise.promise();
        Context context = ctx.get(CONTEXT);
        context.runOnContext(ignored -> {
            try {
                readForm(ctx.request(), files, done);
            } catch (RuntimeException e) {
                done.tryFail(e);
            }
        });
        try {
            return done.future().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            var cause = e.getCause() == null ? e : e.getCause();
            throw ApiException.badRequest("UploadFailed", "The form did not arrive whole: " + cause.getMessage());
        }
    }

    private static void readForm(HttpServerRequest request, Function<HttpServerFileUpload, Future<Void>> files,
                                 Promise<MultiMap> done) {
        if (request.isEnded()) {
            done.tryComplete(MultiMap.caseInsensitiveMultiMap());
            return;
        }
        var parts = new ArrayList<Future<Void>>();
        // Vert.x decodes only a form's types (and refuses to try others): any other body is read and left, no form.
        var form = isForm(request.getHeader("Content-Type"));
        if (form) {
            request.setExpectMultipart(true);
            request.uploadHandler(upload -> {
                upload.pause();
                parts.add(files.apply(upload));
            });
        } else {
            request.handler(ignored -> { });
        }
        request.exceptionHandler(done::tryFail);
        request.endHandler(end -> Future.all(parts).onComplete(all -> {
            if (all.succeeded()) {
                done.tryComplete(form ? request.formAttributes() : MultiMap.caseInsensitiveMultiMap());
            } else {
                done.tryFail(all.cause());
            }
        }));
        request.resume();
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        var type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("multipart/form-data") || type.equals("application/x-www-form-urlencoded");
    }

    /** What a route does with a body received whole into a file, which is removed afterwards. */
    @FunctionalInterface
    public interface Received<T> {
        T use(Path file) throws Exception;
    }

    /**
     * Receives the body into a new file in {@code folder} (named {@code <prefix>-<random>.upload}) and hands it to
     * {@code use}, refusing with {@code tooLarge} a body declared or found larger than {@code maxBytes}; the file is
     * removed whatever happens.
     */
    public static <T> T receiveWithin(RoutingContext ctx, Path folder, String prefix, long maxBytes,
                                      Supplier<ApiException> tooLarge, Received<T> use)
            throws Exception {
        if (declaredLength(ctx) > maxBytes) {
            throw tooLarge.get();
        }
        Files.createDirectories(folder);
        var received = folder.resolve(prefix + "-" + UUID.randomUUID() + ".upload");
        try {
            receive(ctx, received);
            if (Files.size(received) > maxBytes) {
                throw tooLarge.get();
            }
            return use.use(received);
        } finally {
            Files.deleteIfExists(received);
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

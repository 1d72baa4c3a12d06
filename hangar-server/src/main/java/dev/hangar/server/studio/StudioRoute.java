package dev.hangar.server.studio;

import dev.hangar.api.ErrorResponse;
import dev.hangar.core.error.ApiException;
import dev.hangar.server.http.ApiErrors;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A studio route's blocking work, and its failures as a person in a browser should meet them: not signed in, the
 * sign-in page (then back here); anything else, a page that says what went wrong, with the status an API client
 * would get. A request htmx makes for part of a page gets the message alone, which the page shows as a notice.
 */
final class StudioRoute {
    private final Blocking blocking;
    private final Pages pages;
    private final java.util.concurrent.ExecutorService executor;

    StudioRoute(Blocking blocking, Pages pages, java.util.concurrent.ExecutorService executor) {
        this.blocking = blocking;
        this.pages = pages;
        this.executor = executor;
    }

    /** What a live route does before its stream opens (its checks): the stream's source, or a failure. */
    @FunctionalInterface
    interface Opening {
        LiveStream.Source open(RoutingContext ctx) throws Exception;
    }

    /** A live route: its checks on a virtual thread, then its stream, or the failure as {@link #handler} answers it. */
    Handler<RoutingContext> stream(Opening opening, LiveStream live) {
        return ctx -> {
            var context = io.vertx.core.Vertx.currentContext();
            executor.execute(() -> {
                try {
                    var source = opening.open(ctx);
                    context.runOnContext(ignored -> live.open(ctx, source));
                } catch (Exception failure) {
                    var reply = failed(ctx, failure);
                    context.runOnContext(ignored -> Blocking.write(ctx, reply));
                }
            });
        };
    }

    Handler<RoutingContext> handler(Blocking.Route route) {
        return blocking.handler(ctx -> {
            try {
                return route.handle(ctx);
            } catch (Exception failure) {
                return failed(ctx, failure);
            }
        });
    }

    /**
     * {@link #handler}, for a route whose body is streamed: the request is paused until the route, on its virtual
     * thread, has checked the caller and reads the body ({@link dev.hangar.server.http.StreamedUploads}).
     */
    Handler<RoutingContext> streamed(Blocking.Route route) {
        return dev.hangar.server.http.StreamedUploads.paused(blocking, ctx -> {
            try {
                return route.handle(ctx);
            } catch (Exception failure) {
                return failed(ctx, failure);
            }
        });
    }

    private Reply failed(RoutingContext ctx, Exception failure) {
        var rendered = ApiErrors.render(failure);
        var message = rendered.body() instanceof ErrorResponse error && error.error() != null
                ? error.error().message() : "The request failed.";
        if (isHtmx(ctx)) {
            return Reply.text(rendered.status(), message.getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8", Map.of("Cache-Control", "no-store"));
        }
        if (failure instanceof ApiException.Unauthorized && wantsPage(ctx)) {
            var back = "GET".equals(ctx.request().method().name()) ? ctx.request().uri() : "/";
            return Reply.status(303).withHeaders(Map.of("Location", SignIn.PATH + "?next="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8), "Cache-Control", "no-store"));
        }
        var heading = switch (rendered.status()) {
            case 401 -> "Sign in first";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Not now";
            default -> "Something went wrong";
        };
        return pages.message(rendered.status(), pages.signedOut(heading), heading, message,
                rendered.status() == 401 ? new Link("Sign in", SignIn.PATH) : new Link("Back to the studio", "/"));
    }

    /** The workspace the studio path names ({@code /w/{ws}/...}), or 404. */
    static dev.hangar.core.workspace.Workspace workspace(dev.hangar.core.workspace.WorkspaceService workspaces,
                                                         RoutingContext ctx) {
        return workspaces.named(ctx.pathParam("ws")).orElseThrow(() -> dev.hangar.core.error.ApiException.notFound(
                "There is no workspace '" + ctx.pathParam("ws") + "'."));
    }

    static boolean isHtmx(RoutingContext ctx) {
        return "true".equals(ctx.request().getHeader("HX-Request"));
    }

    static boolean wantsPage(RoutingContext ctx) {
        return String.valueOf(ctx.request().getHeader("Accept")).contains("text/html");
    }
}

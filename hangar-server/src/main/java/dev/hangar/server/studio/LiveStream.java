package dev.hangar.server.studio;

import dev.hangar.core.store.Commits;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A page's live updates as server-sent events: after every commit of this server's store (and at least every
 * {@link #RECHECK}, for what other servers on the same database wrote), the page's data is read again and what changed
 * is sent. The read runs as its reader, so a reader who lost access, or whose session ended, gets no more; a quiet
 * stream sends a comment now and then so that no proxy or idle timeout closes it.
 */
final class LiveStream {
    /** How often the data is read again when no commit of this server woke the stream. */
    static final Duration RECHECK = Duration.ofSeconds(5);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(20);
    /** Commits that come together (a reconciler's steps) are read once. */
    private static final Duration GATHER = Duration.ofMillis(25);

    private final Commits commits;
    private final ExecutorService executor;

    LiveStream(Commits commits, ExecutorService executor) {
        this.commits = commits;
        this.executor = executor;
    }

    /**
     * One event: its name, its data (HTML, sent line by line) and its id, or null; a browser that reconnects sends the
     * last id it received as {@code Last-Event-ID}.
     */
    record Event(String name, String data, String id) {
        Event(String name, String data) {
            this(name, data, null);
        }
    }

    /** What a stream does at each look: the events to send now; throws to end the stream. */
    interface Source {
        List<Event> look(boolean first) throws Exception;

        /** How long the stream waits for a commit before it looks again anyway. */
        default Duration recheck() {
            return RECHECK;
        }
    }

    /** Answers the request with the stream, on a virtual thread of its own until the client goes. */
    void open(RoutingContext ctx, Source source) {
        var context = Vertx.currentContext();
        var response = ctx.response();
        var gone = new AtomicBoolean();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> gone.set(true));
        response.exceptionHandler(ignored -> gone.set(true));
        response.write("retry: 3000\n\n");
        executor.execute(() -> run(context, ctx, source, gone));
    }

    private void run(Context context, RoutingContext ctx, Source source, AtomicBoolean gone) {
        var seen = commits.count();
        var quietSince = System.nanoTime();
        var first = true;
        try {
            while (!gone.get()) {
                var events = source.look(first);
                first = false;
                if (!events.isEmpty()) {
                    send(context, ctx, events);
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
                    write(context, ctx, ": still here\n\n");
                    quietSince = System.nanoTime();
                }
                if (commits.awaitAfter(seen, source.recheck().toNanos())) {
                    Thread.sleep(GATHER);
                }
                seen = commits.count();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The reader may no longer look (signed out, access removed, the workspace gone): the stream ends.
        } finally {
            context.runOnContext(ignored -> {
                if (!ctx.response().ended() && !ctx.response().closed()) {
                    ctx.response().end();
                }
            });
        }
    }

    private static void send(Context context, RoutingContext ctx, List<Event> events) {
        var text = new StringBuilder();
        for (var event : events) {
            text.append("event: ").append(event.name()).append('\n');
            if (event.id() != null) {
                text.append("id: ").append(event.id()).append('\n');
            }
            for (var line : event.data().split("\n", -1)) {
                text.append("data: ").append(line).append('\n');
            }
            text.append('\n');
        }
        write(context, ctx, text.toString());
    }

    private static void write(Context context, RoutingContext ctx, String text) {
        var bytes = Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
        context.runOnContext(ignored -> {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().write(bytes);
            }
        });
    }

    static List<Event> events() {
        return new ArrayList<>();
    }
}

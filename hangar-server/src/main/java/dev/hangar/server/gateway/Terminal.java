package dev.hangar.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.server.http.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser terminal of an instance, at {@code .../apps/terminal/}: a page (xterm.js) and, at
 * {@code .../apps/terminal/websocket}, a WebSocket to a login shell with a TTY that the instance's backend opens.
 * The gateway has checked the caller owns the instance; this class also refuses a WebSocket opened by a page of
 * another site (a cookie alone must not let a foreign page type into someone's shell).
 *
 * <p>Messages are JSON arrays, as Jupyter's terminals (terminado) speak them. From the browser
 * {@code ["stdin", text]} and {@code ["set_size", rows, columns]}; to it {@code ["stdout", text]} and, when the shell
 * ends, {@code ["exit", status]} before the socket closes. The first size comes with the WebSocket's URL
 * ({@code ?rows=24&cols=80}).
 */
final class Terminal {
    private static final Logger LOG = LoggerFactory.getLogger(Terminal.class);
    static final String WEBSOCKET = "websocket";
    private static final int DEFAULT_COLUMNS = 80;
    private static final int DEFAULT_ROWS = 24;
    private static final int MAX_SIZE = 1000;
    /**
     * Scripts only from this server, never inline nor eval'd. Style elements only from this server or carrying the
     * page's nonce: xterm.js's DOM renderer writes its cell sizes, colours and cursor into {@code <style>} elements it
     * makes at run time, and {@code style-nonce.js} stamps the nonce on each as it is created (without them nothing
     * is drawn and the page stays black). Style attributes may be inline: the renderer colours cells in 24-bit colour
     * through each cell's {@code style} attribute; an attribute can carry only CSS, never script.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'nonce-%s'; style-src-attr 'unsafe-inline'; connect-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'";
    private static final SecureRandom NONCES = new SecureRandom();
    /** As Jupyter pings its WebSockets. */
    private static final Duration MOST_BETWEEN_PINGS = Duration.ofSeconds(30);

    private final InstanceSessions sessions;
    private final Duration pingEvery;
    private final ExecutorService executor;

    /** @param idleTimeout after how long without traffic the server closes a connection */
    Terminal(InstanceSessions sessions, ExecutorService executor, Duration idleTimeout) {
        this.sessions = sessions;
        this.executor = executor;
        var half = idleTimeout.dividedBy(2);
        this.pingEvery = half.compareTo(MOST_BETWEEN_PINGS) < 0 ? half : MOST_BETWEEN_PINGS;
    }

    /** The terminal page; its script opens the WebSocket beside it. */
    void page(RoutingContext ctx, ComputeInstance compute) {
        var bytes = new byte[18];
        NONCES.nextBytes(bytes);
        var nonce = Base64.getEncoder().encodeToString(bytes);
        var html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <title>%s · Terminal · Hangar</title>
                <link rel="stylesheet" href="/static/terminal/css/xterm.css" nonce="%s">
                <link rel="stylesheet" href="/static/terminal/terminal.css">
                <link rel="icon" href="/static/studio/favicon.svg" type="image/svg+xml">
                <script src="/static/terminal/style-nonce.js"></script>
                </head><body><div id="terminal"></div>
                <script src="/static/terminal/lib/xterm.js"></script>
                <script src="/static/terminal/addon-fit/lib/addon-fit.js"></script>
                <script src="/static/terminal/terminal.js"></script>
                </body></html>
                """.formatted(escape(compute.name()), nonce);
        ctx.request().resume();
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY.formatted(nonce))
                .putHeader("Cache-Control", "no-store")
                .end(html);
    }

    /** Upgrades the request and connects it to a new shell in the instance. */
    void connect(RoutingContext ctx, ComputeInstance compute) {
        var columns = size(ctx.request().getParam("cols"), DEFAULT_COLUMNS);
        var rows = size(ctx.request().getParam("rows"), DEFAULT_ROWS);
        ctx.request().resume();
        ctx.request().toWebSocket().onFailure(failure -> LOG.debug("Terminal upgrade failed: {}", failure.toString()))
                .onSuccess(socket -> {
                    // Messages may arrive before the shell is open: they wait in order.
                    var inbox = new LinkedBlockingQueue<Object>();
                    socket.textMessageHandler(inbox::add);
                    // A quiet shell still carries traffic, so that the server's idle timeout never closes it.
                    var vertx = ctx.vertx();
                    var pings = vertx.setPeriodic(Math.max(1, pingEvery.toMillis()),
                            tick -> socket.writePing(Buffer.buffer()));
                    socket.closeHandler(ignored -> {
                        vertx.cancelTimer(pings);
                        inbox.add(Closed.INSTANCE);
                    });
                    executor.execute(() -> run(socket, compute, inbox, columns, rows));
                });
    }

    private enum Closed { INSTANCE }

    private void run(ServerWebSocket socket, ComputeInstance compute, BlockingQueue<Object> inbox, int columns,
                     int rows) {
        InstanceSession session;
        try {
            session = sessions.open(compute, new SessionRequest.Shell(
                    new SessionRequest.Tty(SessionRequest.Tty.DEFAULT_TERM, columns, rows), Map.of()));
        } catch (ApiException e) {
            socket.close((short) 1011, truncate(e.getMessage()));
            return;
        }
        LOG.info("Terminal opened in {} ({}x{})", compute.name(), columns, rows);
        var input = Thread.ofVirtual().name("terminal-input-" + compute.name()).start(() -> forward(inbox, session));
        try {
            pump(session.output(), socket);
            var status = session.exitStatus().toCompletableFuture().get(10, TimeUnit.SECONDS);
            send(socket, List.of("exit", status));
            socket.close((short) 1000, "exit " + status);
        } catch (Exception e) {
            if (!socket.isClosed()) {
                socket.close((short) 1011, "the terminal ended: " + truncate(String.valueOf(e.getMessage())));
            }
        } finally {
            session.close();
            input.interrupt();
            LOG.info("Terminal closed in {}", compute.name());
        }
    }

    /** The browser's keys and sizes, in order, to the shell; ends with the socket. */
    private static void forward(BlockingQueue<Object> inbox, InstanceSession session) {
        try {
            while (true) {
                var message = inbox.take();
                if (message == Closed.INSTANCE) {
                    session.close();
                    return;
                }
                try {
                    handle((String) message, session);
                } catch (RuntimeException e) {
                    LOG.warn("Terminal message refused by the session: {}", e.toString(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            session.close();
        }
    }

    private static void handle(String message, InstanceSession session) throws IOException {
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(message);
        } catch (IOException e) {
            return;
        }
        if (parsed == null || !parsed.isArray() || parsed.isEmpty()) {
            return;
        }
        switch (parsed.get(0).asText()) {
            case "stdin" -> {
                session.input().write(parsed.path(1).asText().getBytes(StandardCharsets.UTF_8));
                session.input().flush();
            }
            case "set_size" -> session.resize(clamp(parsed.path(2).asInt(DEFAULT_COLUMNS)),
                    clamp(parsed.path(1).asInt(DEFAULT_ROWS)));
            default -> {
                // Other terminado messages have no meaning here.
            }
        }
    }

    /** The terminal's output as text; a character split between two reads is kept until it is whole. */
    private static void pump(InputStream output, ServerWebSocket socket) throws Exception {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        var bytes = ByteBuffer.allocate(16 * 1024);
        var chars = CharBuffer.allocate(16 * 1024);
        var buffer = new byte[8 * 1024];
        for (int n; (n = output.read(buffer)) >= 0; ) {
            bytes.put(buffer, 0, n).flip();
            decoder.decode(bytes, chars, false);
            bytes.compact();
            chars.flip();
            if (chars.hasRemaining()) {
                send(socket, List.of("stdout", chars.toString()));
            }
            chars.clear();
        }
    }

    /** Sends one message and waits until it is written, so a flood of output cannot outrun the browser. */
    private static void send(ServerWebSocket socket, List<Object> message) throws Exception {
        socket.writeTextMessage(Json.MAPPER.writeValueAsString(message)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    private static int size(String value, int fallback) {
        try {
            return value == null ? fallback : clamp(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int clamp(int value) {
        return Math.max(1, Math.min(MAX_SIZE, value));
    }

    /** A WebSocket close reason holds at most 123 bytes. */
    private static String truncate(String reason) {
        var bytes = reason.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 120 ? reason : new String(bytes, 0, 120, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

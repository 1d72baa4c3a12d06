package dev.hangar.testkit.jupyter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One kernel's channels over Jupyter's WebSocket (message protocol 5.3, JSON text frames). Executes code and collects
 * the replies that answer it; everything else (other clients' traffic, binary buffers) is skipped.
 */
public final class KernelSession implements AutoCloseable {
    private final String sessionId = UUID.randomUUID().toString();
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private final WebSocket socket;

    private KernelSession(HttpClient http, URI channels, Map<String, String> headers, Duration timeout) {
        this.timeout = timeout;
        var builder = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        this.socket = await(builder.buildAsync(channels, new Inbox(inbox)), "connect to " + channels);
    }

    static KernelSession open(HttpClient http, URI channels, Map<String, String> headers, Duration timeout) {
        return new KernelSession(http, channels, headers, timeout);
    }

    /** Sends an {@code execute_request} and waits for its {@code execute_reply} and the kernel going idle. */
    public Execution execute(String code) {
        var msgId = UUID.randomUUID().toString();
        await(socket.sendText(Json.write(executeRequest(msgId, code)), true), "send execute_request");
        var deadline = Instant.now().plus(timeout);
        String status = null;
        String result = null;
        String error = null;
        var stdout = new StringBuilder();
        var displayed = new java.util.StringJoiner("\n");
        var idle = false;
        while (status == null || !idle) {
            var message = next(deadline);
            if (!msgId.equals(field(message, "parent_header", "msg_id"))) {
                continue;
            }
            var content = (Map<?, ?>) message.get("content");
            switch (String.valueOf(field(message, "header", "msg_type"))) {
                case "execute_reply" -> status = (String) content.get("status");
                case "execute_result" -> result = (String) ((Map<?, ?>) content.get("data")).get("text/plain");
                case "display_data" -> {
                    if (((Map<?, ?>) content.get("data")).get("text/plain") instanceof String text) {
                        displayed.add(text);
                    }
                }
                case "stream" -> stdout.append("stdout".equals(content.get("name")) ? content.get("text") : "");
                case "error" -> error = content.get("ename") + ": " + content.get("evalue");
                case "status" -> idle = "idle".equals(content.get("execution_state"));
                default -> { }
            }
        }
        return new Execution(status, result, stdout.toString(), error, displayed.toString());
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        socket.abort();
    }

    private Map<String, Object> executeRequest(String msgId, String code) {
        var header = Map.<String, Object>of("msg_id", msgId, "username", "hangar", "session", sessionId,
                "msg_type", "execute_request", "version", "5.3", "date", Instant.now().toString());
        var content = Map.<String, Object>of("code", code, "silent", false, "store_history", true,
                "user_expressions", Map.of(), "allow_stdin", false, "stop_on_error", true);
        return Map.of("header", header, "parent_header", Map.of(), "metadata", Map.of(), "content", content,
                "channel", "shell", "buffers", List.of());
    }

    private Map<?, ?> next(Instant deadline) {
        try {
            var left = Duration.between(Instant.now(), deadline);
            var message = inbox.poll(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new IllegalStateException("The kernel did not answer within " + timeout);
            }
            if (message instanceof Throwable failure) {
                throw new IllegalStateException("The kernel channels failed: " + failure, failure);
            }
            return (Map<?, ?>) message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static Object field(Map<?, ?> message, String outer, String inner) {
        return message.get(outer) instanceof Map<?, ?> map ? map.get(inner) : null;
    }

    private <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Puts each complete text message (or the failure) into the inbox; frames may arrive in parts. */
    private static final class Inbox implements WebSocket.Listener {
        private final BlockingQueue<Object> inbox;
        private final StringBuilder partial = new StringBuilder();

        Inbox(BlockingQueue<Object> inbox) {
            this.inbox = inbox;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            inbox.add(new IllegalStateException("closed by the server: " + status + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            inbox.add(error);
        }
    }
}

package dev.hangar.testkit.terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;

/**
 * Hangar's browser terminal as a test drives it: the WebSocket at {@code .../apps/terminal/websocket}, speaking its
 * JSON messages ({@code ["stdin", text]}, {@code ["set_size", rows, cols]} up; {@code ["stdout", text]},
 * {@code ["exit", status]} down). Everything the terminal shows is kept for {@link #awaitShown(String)}.
 */
public final class TerminalClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final WebSocket socket;
    private final StringBuffer screen = new StringBuffer();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private TerminalClient(HttpClient http, URI url, String token, int rows, int columns) {
        this.http = http;
        var withSize = URI.create(url + (url.getQuery() == null ? "?" : "&") + "rows=" + rows + "&cols=" + columns);
        this.socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(30)).buildAsync(withSize, new Listener()).join();
    }

    /**
     * Opens the terminal of the app whose page is {@code terminalPage} (an {@code https://.../apps/terminal/} URL as
     * the instance's {@code applications} list it). Fails with the handshake's error when the server refuses.
     */
    public static TerminalClient open(URI terminalPage, SSLContext tls, String token, int rows, int columns) {
        var http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        var ws = URI.create(terminalPage.toString().replaceFirst("^http", "ws")).resolve("websocket");
        try {
            return new TerminalClient(http, ws, token, rows, columns);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** Types text as a user would ({@code \r} is Enter). */
    public TerminalClient type(String text) {
        send(List.of("stdin", text));
        return this;
    }

    public TerminalClient resize(int rows, int columns) {
        send(List.of("set_size", rows, columns));
        return this;
    }

    /** Waits until the terminal has shown {@code expected}, failing with what it showed instead. */
    public void awaitShown(String expected, Duration within) {
        try {
            Awaitility.await("the terminal shows " + expected).atMost(within).pollInterval(Duration.ofMillis(50))
                    .until(() -> screen.toString().contains(expected));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("The terminal did not show '" + expected + "'; it showed:\n" + screen, e);
        }
    }

    public void awaitShown(String expected) {
        awaitShown(expected, Duration.ofSeconds(60));
    }

    public String shown() {
        return screen.toString();
    }

    /** The shell's exit status, once it exited. */
    public int awaitExit(Duration within) throws Exception {
        return exit.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The reason the server closed the socket with. */
    public String awaitClosed(Duration within) throws Exception {
        return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(List<Object> message) {
        try {
            socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot send " + message + " to the terminal", e);
        }
    }

    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            socket.abort();
        } finally {
            http.close();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    var message = JSON.readTree(partial.toString());
                    switch (message.path(0).asText()) {
                        case "stdout" -> screen.append(message.path(1).asText());
                        case "exit" -> exit.complete(message.path(1).asInt());
                        default -> { }
                    }
                } catch (Exception e) {
                    screen.append("\n[unreadable message: ").append(partial).append("]\n");
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            exit.completeExceptionally(new IllegalStateException("closed without an exit: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
            exit.completeExceptionally(error);
        }
    }
}

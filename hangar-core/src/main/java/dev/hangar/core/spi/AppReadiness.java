package dev.hangar.core.spi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether an instance's app answers HTTP where the gateway will reach it: one GET with the app's own headers, 200
 * meaning ready. Backends use it to wait for an app after starting it and to look at it on every observation.
 */
public final class AppReadiness implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(25);
    /**
     * How often, at most, whether the app still lives is asked while it does not answer yet. Asking may be costly (an
     * engine's inspect takes tens of milliseconds of the engine's CPU, which the starting app needs too); an app that
     * died is still noticed within this time.
     */
    private static final Duration ALIVE_CHECK = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** How a wait ended. */
    public enum Outcome { READY, EXITED, TIMED_OUT }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            // Apps listen on 127.0.0.1; a proxy configured for the JVM must never see their tokens.
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();

    /** One GET of {@code url} with {@code headers}: true on 200. */
    public boolean answers(URI url, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET();
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while waiting for " + url, e);
        }
    }

    /** Polls until the app answers, {@code alive} turns false (its process or container ended), or the deadline. */
    public Outcome await(URI url, Map<String, String> headers, Instant deadline, BooleanSupplier alive) {
        // A just-started app is alive; the first look is one interval in.
        var nextAliveCheck = System.nanoTime() + ALIVE_CHECK.toNanos();
        while (true) {
            if (answers(url, headers)) {
                return Outcome.READY;
            }
            if (System.nanoTime() - nextAliveCheck >= 0) {
                if (!alive.getAsBoolean()) {
                    return Outcome.EXITED;
                }
                nextAliveCheck = System.nanoTime() + ALIVE_CHECK.toNanos();
            }
            if (Instant.now().isAfter(deadline)) {
                return Outcome.TIMED_OUT;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BackendException.retryable("Interrupted", "Interrupted while waiting for " + url, e);
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }
}

package dev.hangar.backend.local;

import dev.hangar.backend.local.RunRecord.AppRun;
import dev.hangar.core.spi.BackendException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Whether an app's process answers HTTP under its base path, as the gateway will reach it. */
final class AppReadiness implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(25);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    enum Outcome { READY, EXITED, TIMED_OUT }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            // Apps listen on 127.0.0.1; a proxy configured for the JVM must never see their tokens.
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();

    /** One GET of {@code <basePath>api} with the app's headers: true on 200. */
    boolean answers(AppRun app) {
        var request = HttpRequest.newBuilder(app.readinessUrl()).timeout(REQUEST_TIMEOUT).GET();
        app.process().headers().forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while waiting for " + app.displayName(), e);
        }
    }

    /** Polls until the app answers, its process ends, or the deadline passes. */
    Outcome await(AppRun app, Instant deadline) {
        while (true) {
            if (answers(app)) {
                return Outcome.READY;
            }
            if (InstanceProcesses.live(app.process()).isEmpty()) {
                return Outcome.EXITED;
            }
            if (Instant.now().isAfter(deadline)) {
                return Outcome.TIMED_OUT;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BackendException.retryable("Interrupted", "Interrupted while waiting for " + app.displayName(), e);
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }
}

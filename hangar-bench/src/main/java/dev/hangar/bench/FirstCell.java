package dev.hangar.bench;

import dev.hangar.testkit.jupyter.JupyterClient;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Runs a notebook's first cell, {@code 1+1}, through Hangar's app gateway as a user's browser would: a fresh
 * connection, a new kernel, its channels WebSocket, one execute. The kernel is shut down after the answer, outside the
 * measured time.
 */
final class FirstCell {
    static final String CODE = "1+1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String token;
    private final SSLContext tls;

    FirstCell(String token, SSLContext tls) {
        this.token = token;
        this.tls = tls;
    }

    /** When (in {@link System#nanoTime()}) the kernel was up and when the cell's result arrived. */
    record Times(long kernelStarted, long answered) {
    }

    /** Runs the cell on the Jupyter served at {@code jupyter} (its gateway URL, ending in {@code /}). */
    Times run(URI jupyter) {
        try (var notebook = JupyterClient.builder(jupyter).header("Authorization", "Bearer " + token)
                .sslContext(tls).timeout(TIMEOUT).build()) {
            var kernel = notebook.startKernel();
            var kernelStarted = System.nanoTime();
            try (var session = notebook.connect(kernel)) {
                var execution = session.execute(CODE);
                var answered = System.nanoTime();
                if (!execution.ok() || !"2".equals(execution.result())) {
                    throw new IllegalStateException(CODE + " on " + jupyter + " answered " + execution);
                }
                return new Times(kernelStarted, answered);
            } finally {
                notebook.shutdownKernel(kernel);
            }
        }
    }
}

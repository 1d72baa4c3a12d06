package dev.hangar.bench;

import dev.hangar.testkit.jupyter.JupyterClient;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Runs a notebook's first cell, {@code 1+1}, as a user's browser would: a fresh connection, a new kernel, its channels
 * WebSocket, one execute. Through Hangar's app gateway ({@link #throughGateway}) or straight at a Jupyter with its own
 * token ({@link #direct}, the raw engine baseline). The kernel is shut down after the answer, outside the measured
 * time.
 */
final class FirstCell {
    static final String CODE = "1+1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String authorization;
    private final SSLContext tls;

    private FirstCell(String authorization, SSLContext tls) {
        this.authorization = authorization;
        this.tls = tls;
    }

    /** Through Hangar's gateway (HTTPS) with a Hangar API token. */
    static FirstCell throughGateway(String hangarToken, SSLContext tls) {
        return new FirstCell("Bearer " + hangarToken, tls);
    }

    /** Straight at a Jupyter over plain HTTP, with its own token. */
    static FirstCell direct(String jupyterToken) {
        return new FirstCell("token " + jupyterToken, null);
    }

    /** When (in {@link System#nanoTime()}) the kernel was up and when the cell's result arrived. */
    record Times(long kernelStarted, long answered) {
    }

    /** Runs the cell on the Jupyter served at {@code jupyter} (its base URL, ending in {@code /}). */
    Times run(URI jupyter) {
        var builder = JupyterClient.builder(jupyter).header("Authorization", authorization).timeout(TIMEOUT);
        if (tls != null) {
            builder.sslContext(tls);
        }
        try (var notebook = builder.build()) {
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

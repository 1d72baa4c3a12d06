package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hangar.core.spi.InstanceSession;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session that is one {@code exec} in the instance's container, attached over the engine's hijacked stream
 * ({@link ExecStream}). The
 * engine has no call that ends an exec, so {@link #close()} ends its process tree through {@code hangUp}, a second
 * exec as root that signals the processes the session's wrapper recorded.
 */
final class ExecSession implements InstanceSession {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(5);

    private final DockerClient docker;
    private final String execId;
    private final boolean tty;
    private final ExecStream stream;
    private final BytePipe output = new BytePipe();
    private final BytePipe errors = new BytePipe();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable hangUp;

    private ExecSession(DockerClient docker, String execId, boolean tty, ExecStream stream, Runnable hangUp) {
        this.docker = docker;
        this.execId = execId;
        this.tty = tty;
        this.stream = stream;
        this.hangUp = hangUp;
    }

    /** Starts the created exec, attached to its streams. */
    static ExecSession start(DockerClient docker, URI host, String execId, boolean tty, Runnable hangUp)
            throws IOException {
        var session = new ExecSession(docker, execId, tty, ExecStream.start(host, execId, tty), hangUp);
        Thread.ofVirtual().name("exec-" + execId).start(session::readOutput);
        return session;
    }

    /**
     * Copies the engine's stream to the session's streams until it ends. With a TTY it is the terminal's bytes;
     * without, frames of an 8-byte header (stream 1 stdout or 2 stderr, then the payload's length) and a payload.
     */
    private void readOutput() {
        var from = stream.output();
        try {
            if (tty) {
                from.transferTo(output.sink());
            } else {
                var header = new byte[8];
                while (from.readNBytes(header, 0, 8) == 8) {
                    var length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                            | (header[7] & 0xff);
                    var payload = from.readNBytes(length);
                    (header[0] == 2 ? errors : output).sink().write(payload);
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debug("The stream of exec {} failed: {}", execId, e.toString());
            }
        } finally {
            ended();
        }
    }

    private void ended() {
        closeQuietly(output.sink());
        closeQuietly(errors.sink());
        Thread.ofVirtual().name("exec-exit-" + execId).start(() -> exit.complete(exitCode()));
    }

    /** The exec's exit code, which the engine may record a moment after the stream ended. */
    private int exitCode() {
        var deadline = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
        while (true) {
            try {
                var inspected = docker.inspectExecCmd(execId).exec();
                if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
                    return inspected.getExitCodeLong().intValue();
                }
            } catch (RuntimeException e) {
                LOG.debug("Cannot inspect exec {}: {}", execId, e.toString());
                return closed.get() ? 129 : 255;
            }
            if (System.nanoTime() > deadline) {
                // Hung up: the status a shell reports for SIGHUP.
                return 129;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 255;
            }
        }
    }

    @Override
    public OutputStream input() {
        return stream.input();
    }

    @Override
    public InputStream output() {
        return output.source();
    }

    @Override
    public InputStream errors() {
        return errors.source();
    }

    @Override
    public void resize(int columns, int rows) {
        if (!tty || exit.isDone()) {
            return;
        }
        try {
            docker.resizeExecCmd(execId).withSize(Math.max(1, rows), Math.max(1, columns)).exec();
        } catch (RuntimeException e) {
            LOG.debug("Cannot resize exec {}: {}", execId, e.toString());
        }
    }

    @Override
    public CompletionStage<Integer> exitStatus() {
        return exit;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!exit.isDone()) {
            try {
                hangUp.run();
            } catch (RuntimeException e) {
                LOG.warn("Cannot end the processes of exec {}: {}", execId, e.toString());
            }
        }
        closeQuietly(stream);
        closeQuietly(output.source());
        closeQuietly(errors.source());
        // Ended by the hang-up; if the engine never says so, the session still counts as over.
        exit.completeOnTimeout(129, EXIT_CODE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing is all that was left to do.
        }
    }
}

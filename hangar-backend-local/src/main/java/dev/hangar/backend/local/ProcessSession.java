package dev.hangar.backend.local;

import com.pty4j.PtyProcess;
import com.pty4j.WinSize;
import dev.hangar.core.spi.InstanceSession;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session that is one host process, with a pseudo-terminal ({@link PtyProcess}) or with pipes. Closing it ends the
 * process and everything it started: SIGTERM, then SIGKILL for what is still there after a grace period.
 */
final class ProcessSession implements InstanceSession {
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final Process process;
    private final boolean tty;
    private final AtomicBoolean closed = new AtomicBoolean();

    ProcessSession(Process process, boolean tty) {
        this.process = process;
        this.tty = tty;
    }

    @Override
    public OutputStream input() {
        return process.getOutputStream();
    }

    @Override
    public InputStream output() {
        return process.getInputStream();
    }

    @Override
    public InputStream errors() {
        return tty ? InputStream.nullInputStream() : process.getErrorStream();
    }

    @Override
    public void resize(int columns, int rows) {
        if (process instanceof PtyProcess pty && process.isAlive()) {
            pty.setWinSize(new WinSize(Math.max(1, columns), Math.max(1, rows)));
        }
    }

    @Override
    public CompletionStage<Integer> exitStatus() {
        return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // By pid: a pty4j process has no handle of its own.
        var descendants = ProcessHandle.of(process.pid()).map(handle -> handle.descendants().toList())
                .orElse(List.of());
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        closeQuietly(process.getOutputStream());
        CompletableFuture.delayedExecutor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
        });
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // The process is ending; a stream that will not close has nothing left to give.
        }
    }
}

package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.hangar.core.spi.InstanceSession;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session that is a container of its own: a job's command in its environment's image. The container is attached
 * before it starts (so nothing it writes is lost or seen twice), its standard output and error kept apart; its exit
 * status is the container's. Closing the session removes the container, which ends
 * whatever ran in it.
 */
final class ImageSession implements InstanceSession {
    private static final Logger LOG = LoggerFactory.getLogger(ImageSession.class);
    /** What a container removed before it ended reports: killed. */
    private static final int KILLED = 137;
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

    private final DockerClient docker;
    private final String containerId;
    private final BytePipe output = new BytePipe();
    private final BytePipe errors = new BytePipe();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ImageSession(DockerClient docker, String containerId) {
        this.docker = docker;
        this.containerId = containerId;
    }

    /**
     * Attaches to the created container, then starts it, as {@code docker run} does: the attach sees every byte from
     * the first, each on its own stream. (Attaching after the start with the logs replayed raced with a quick command:
     * under load its output came twice, and its error stream in its output.)
     */
    static ImageSession start(DockerClient docker, String containerId) {
        var session = new ImageSession(docker, containerId);
        var streams = docker.attachContainerCmd(containerId).withStdOut(true).withStdErr(true)
                .withFollowStream(true).exec(session.new Streams());
        try {
            if (!streams.awaitStarted(ATTACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("No attach to container " + containerId + " within " + ATTACH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while attaching to container " + containerId, e);
        }
        docker.startContainerCmd(containerId).exec();
        Thread.ofVirtual().name("image-exit-" + containerId).start(session::awaitExit);
        return session;
    }

    /** Copies each frame to its stream; closes both when the container's output ends. */
    private final class Streams extends ResultCallback.Adapter<Frame> {
        @Override
        public void onNext(Frame frame) {
            try {
                (frame.getStreamType() == StreamType.STDERR ? errors : output).sink().write(frame.getPayload());
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.debug("Cannot keep the output of container {}: {}", containerId, e.toString());
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (!closed.get()) {
                LOG.debug("The stream of container {} failed: {}", containerId, failure.toString());
            }
            ended();
        }

        @Override
        public void onComplete() {
            ended();
        }
    }

    private void ended() {
        closeQuietly(output.sink());
        closeQuietly(errors.sink());
    }

    private void awaitExit() {
        try {
            exit.complete(docker.waitContainerCmd(containerId).exec(new WaitContainerResultCallback())
                    .awaitStatusCode());
        } catch (RuntimeException e) {
            exit.complete(KILLED);
        }
    }

    @Override
    public OutputStream input() {
        return OutputStream.nullOutputStream();
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
        // No terminal.
    }

    @Override
    public CompletionStage<Integer> exitStatus() {
        return exit;
    }

    /** Removes the container (ending what runs in it), once its output was read or the session is given up. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            docker.removeContainerCmd(containerId).withForce(true).exec();
        } catch (NotFoundException gone) {
            // Removed already.
        } catch (RuntimeException e) {
            LOG.warn("Cannot remove job container {}: {}", containerId, e.toString());
        }
        ended();
        closeQuietly(output.source());
        closeQuietly(errors.source());
        exit.completeOnTimeout(KILLED, 5, TimeUnit.SECONDS);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing is all that was left to do.
        }
    }
}

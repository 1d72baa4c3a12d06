package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.spi.AppReadiness;
import dev.hangar.core.spi.BackendCalls;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs compute instances as containers of a Docker Engine API: Docker, or Podman's Docker-compatible service. An
 * instance is a container {@code hangar-<computeId>} from the instance image, started with an init, plus two named
 * volumes: {@code hangar-<computeId>-home} at {@code /home/azureuser} and {@code hangar-<computeId>-envs} at
 * {@code /opt/hangar/envs} (the user's venvs and kernels). All three carry Hangar's labels (install id, compute id,
 * workspace, name), which is how {@link #held()} finds them after a restart.
 *
 * <p>The VM size becomes the container's limits: CPUs (nano-CPUs), memory (swap included, so no more than the size),
 * pids, and GPUs requested from the engine when the size has any. Open files and processes get explicit ulimits.
 * Jupyter listens on the container's port 8888, published on the host's 127.0.0.1 only, at a port the engine picks
 * anew at each start; its token lives in the container's environment.
 *
 * <p>Stop stops the container and keeps it and its volumes; start starts it again (or makes it again over the same
 * volumes if someone removed it); delete removes the container and both volumes. Every call runs on a virtual
 * thread of an executor this backend owns and is idempotent. Engine failures become {@link BackendException}s that
 * say what to do: {@code EngineUnreachable} (retryable), {@code ImageNotFound}, {@code UlimitRefused},
 * {@code SizeExceedsMachine}, {@code OutOfMemory}, {@code JupyterStartFailed} and {@code JupyterStartTimeout} (with the
 * container's last output), {@code EngineError}.
 */
public final class DockerBackend implements ComputeBackend {
    public static final String NAME = "docker";
    private static final Logger LOG = LoggerFactory.getLogger(DockerBackend.class);

    private final DockerClient docker;
    private final AppReadiness readiness = new AppReadiness();
    private final DockerInstances instances;
    private final BackendCalls calls;

    DockerBackend(DockerClient docker, DockerBackendConfig config, EngineCapacity capacity) {
        this.docker = docker;
        this.instances = new DockerInstances(docker, config, capacity, readiness);
        this.calls = new BackendCalls(NAME, failure -> EngineErrors.translate(failure, config.host(), config.image()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<List<AppEndpoint>> provision(InstanceContext instance) {
        return calls.call(() -> instances.provision(instance));
    }

    @Override
    public CompletionStage<List<AppEndpoint>> start(InstanceContext instance) {
        return calls.call(() -> instances.start(instance));
    }

    @Override
    public CompletionStage<Void> stop(InstanceContext instance) {
        return calls.run(() -> instances.stop(instance.computeId()));
    }

    @Override
    public CompletionStage<Void> delete(InstanceContext instance) {
        return calls.run(() -> instances.delete(instance.computeId()));
    }

    @Override
    public CompletionStage<Observation> observe(InstanceContext instance) {
        return calls.call(() -> instances.observe(instance));
    }

    @Override
    public CompletionStage<List<HeldInstance>> held() {
        return calls.call(instances::held);
    }

    @Override
    public CompletionStage<Void> remove(HeldInstance orphan) {
        return calls.run(() -> instances.delete(orphan.computeId()));
    }

    /** How many processes run in the instance's container now (0 when it does not run); for tests and diagnosis. */
    public CompletionStage<Integer> processes(UUID computeId) {
        return calls.call(() -> instances.processes(computeId));
    }

    /** Ends the executor and the engine connection; every container keeps running. */
    @Override
    public void close() {
        calls.close();
        readiness.close();
        try {
            docker.close();
        } catch (IOException e) {
            LOG.warn("Closing the engine client failed: {}", e.toString());
        }
    }
}

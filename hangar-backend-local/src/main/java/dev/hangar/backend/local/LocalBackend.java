package dev.hangar.backend.local;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.spi.AppReadiness;
import dev.hangar.core.spi.BackendCalls;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs compute instances as processes of the Hangar host. An instance is a directory
 * {@code <dataDirectory>/instances/<computeId>/} holding {@code home/} (the user's files, kept by stop) and
 * {@code run/} (what runs now: {@code apps.json} with each app's pid, start instant, port and token, the app logs and
 * Jupyter's runtime files; removed by stop). Its one app is Jupyter Notebook; other apps are reported unavailable.
 *
 * <p><b>A VM size's limits are not enforced:</b> instance processes share the host's CPUs, memory and GPUs with each
 * other and with Hangar. Use a container or cluster backend where sizes must hold.
 *
 * <p><b>Nor are instances isolated:</b> every instance runs as the OS user Hangar runs as, so code in one instance can
 * read the files and app tokens of every other and of Hangar itself. Use this backend for one trusted user (a laptop,
 * a development server), not where users must be kept apart.
 *
 * <p>Processes run in sessions of their own and carry {@code HANGAR_COMPUTE_ID} in their environment: stop and delete
 * end every process with that tag, kernels and background jobs included. A new backend object (after Hangar restarts,
 * even after {@code kill -9}) reads {@code apps.json} and adopts the processes, having checked pid and start instant so
 * that a reused pid is never taken for an app. An app process that died makes the instance {@code Stopped}.
 *
 * <p>Every call runs on a virtual thread of an executor this backend owns and is idempotent. Failures are
 * {@link BackendException}s: {@code InstanceNotFound}, {@code JupyterStartFailed} and {@code JupyterStartTimeout} (with
 * the last lines of Jupyter's log), {@code ProcessStopFailed}, {@code InstanceIoFailed}, {@code BackendClosed}.
 * {@link #close()} ends the executor and leaves every instance running.
 */
public final class LocalBackend implements ComputeBackend {
    public static final String NAME = "local";

    private final AppReadiness readiness = new AppReadiness();
    private final LocalInstances instances;
    // The disk may free up or a directory be fixed: the same call may then succeed.
    private final BackendCalls calls = new BackendCalls(NAME, failure -> failure instanceof UncheckedIOException io
            ? BackendException.retryable("InstanceIoFailed", io.getMessage() + ": " + io.getCause(), io)
            : new BackendException("LocalBackendError", String.valueOf(failure.getMessage()), false, failure));

    public LocalBackend(LocalBackendConfig config) {
        this.instances = new LocalInstances(config, readiness);
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
        return calls.call(() -> instances.observe(instance.computeId()));
    }

    @Override
    public CompletionStage<List<HeldInstance>> held() {
        return calls.call(instances::held);
    }

    @Override
    public CompletionStage<Void> remove(HeldInstance orphan) {
        return calls.run(() -> instances.delete(orphan.computeId()));
    }

    /**
     * Interrupts calls in flight, which fail with a retryable {@code Interrupted} and leave what they started for a new
     * backend object to adopt; every instance process keeps running. Calls made afterwards fail with
     * {@code BackendClosed}.
     */
    @Override
    public void close() {
        calls.close();
        readiness.close();
    }
}

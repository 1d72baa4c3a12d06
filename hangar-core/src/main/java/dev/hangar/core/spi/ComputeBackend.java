package dev.hangar.core.spi;

import dev.hangar.core.compute.AppEndpoint;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where compute instances really run: host processes, containers, Kubernetes, Slurm, SSH hosts.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>Asynchronous: every call returns at once; the stage completes when the backend is done, or exceptionally
 *       with a {@link BackendException} saying whether a retry can help.</li>
 *   <li>Idempotent: the reconciler may repeat any call after a crash. Provisioning what exists, starting what runs,
 *       stopping what is stopped and deleting what is gone all succeed.</li>
 *   <li>Everything created is tagged with the compute id (labels, directory names), so that {@link #held()} can find
 *       it again after a restart.</li>
 *   <li>The reconciler never makes two calls for the same compute at once; calls for different computes overlap.</li>
 * </ul>
 */
public interface ComputeBackend extends AutoCloseable {

    /** The configuration name of this backend, e.g. {@code local}. */
    String name();

    /** Creates the instance's home and starts its apps. Completes once the apps are ready, with their endpoints. */
    CompletionStage<List<AppEndpoint>> provision(InstanceContext instance);

    /** Starts a provisioned, stopped instance's apps. Completes once they are ready, with their endpoints. */
    CompletionStage<List<AppEndpoint>> start(InstanceContext instance);

    /** Ends every process of the instance and keeps its home. */
    CompletionStage<Void> stop(InstanceContext instance);

    /** Ends every process of the instance and removes everything it held. */
    CompletionStage<Void> delete(InstanceContext instance);

    /** What the backend sees of the instance now. */
    CompletionStage<Observation> observe(InstanceContext instance);

    /** Everything this backend holds for any compute: the reconciler removes what no record owns. */
    CompletionStage<List<HeldInstance>> held();

    /**
     * Opens a session inside a running instance: a shell or command (with or without a TTY), SFTP, or a connection to a
     * port on the instance's loopback. Completes once the session runs; fails with {@code InstanceNotRunning} when the
     * instance has nothing running to open it in.
     */
    CompletionStage<InstanceSession> open(InstanceContext instance, SessionRequest request);

    /**
     * Ends every process in the instance whose environment holds one of {@code markers} ({@code NAME=value}), with
     * its descendants, which inherit it: SIGTERM, then SIGKILL for what is left after a grace period. Completes once
     * they are gone; nothing to end (or an instance not running) is not an error. A session started with a variable of
     * its own can so be ended after the session itself was lost, e.g. a job's after a restart of Hangar. Several
     * markers are ended in one look at the instance's processes.
     */
    CompletionStage<Void> endProcesses(InstanceContext instance, java.util.Set<String> markers);

    /**
     * The address the other nodes of a job over several cluster nodes reach this one at ({@code MASTER_ADDR}). Nodes
     * of a backend that runs them on one host share its loopback, the default.
     */
    default CompletionStage<String> address(InstanceContext instance) {
        return java.util.concurrent.CompletableFuture.completedFuture("127.0.0.1");
    }

    /**
     * Whether the backend runs a job in a fresh container of the job's environment image
     * ({@link SessionRequest.Container}); a backend that does not runs jobs only in the instance's own environment.
     */
    default boolean runsImages() {
        return false;
    }

    /**
     * Whether the backend runs an instance's custom services ({@link InstanceContext#customServices()}), each a
     * container beside it whose endpoints it reports among the instance's apps. Hangar refuses custom services on an
     * instance of a backend that does not, rather than record what would never run.
     */
    default boolean runsCustomServices() {
        return false;
    }

    /**
     * The name of the instance's user, whose home {@link SessionRequest.Command commands} run in: what
     * {@code id -un} says in the instance, and what the instance's wire form names as its admin user. Answers at once,
     * from the id alone (it looks nothing up).
     */
    default String instanceUser(java.util.UUID computeId) {
        return System.getProperty("user.name");
    }

    /**
     * Who the instance's user is on Hangar's host, when it is another user than Hangar's own (a container's user under
     * a rootful engine): Hangar, when it may, gives what it makes in a file share to them, so that the instance's user
     * may change it where the share is mounted ({@link InstanceContext#FILE_SHARE_MOUNT}). Empty, the default, when
     * instances run as Hangar's own user.
     */
    default java.util.Optional<dev.hangar.core.files.ShareOwner> shareOwner() {
        return java.util.Optional.empty();
    }

    /**
     * Why the backend refuses an instance of {@code owner} beside its instances of {@code others}, naming the setting
     * that would allow it: a backend whose instances all run as one account takes one user's only, unless its
     * operator allows more. Empty, the default: instances of any user. {@code others} is read only when needed.
     */
    default java.util.Optional<String> ownerRefusal(String owner,
                                                    java.util.function.Supplier<java.util.Set<String>> others) {
        return java.util.Optional.empty();
    }

    /**
     * Whether the instances' users reach a workspace's file share through a group of that workspace (the host
     * backend's accounts): Hangar, when it may, then makes what it makes in a share writable by the group of the
     * workspace's folder. False, the default, for a backend whose instances run as one user.
     */
    default boolean sharesByGroup() {
        return false;
    }

    /** Removes something {@link #held()} reported that no compute record owns. */
    CompletionStage<Void> remove(HeldInstance orphan);

    /** Releases the backend's own resources (clients, threads); instances keep running. */
    @Override
    void close();
}

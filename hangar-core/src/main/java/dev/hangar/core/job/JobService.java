package dev.hangar.core.job;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.environment.CuratedEnvironments;
import dev.hangar.core.environment.EnvironmentService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.name.DeviceNames;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The application service for jobs: submit, read, list, cancel and read logs, each after checking the caller's
 * action in the workspace. A submitted job is recorded Queued; {@link JobRunner} runs it when its compute has room.
 * A job for a compute that is not running waits in the queue until it runs (its history says so), rather than being
 * refused: starting the instance is all it takes.
 *
 * <p>Thread-safe; blocking (it uses the store).
 */
public final class JobService {
    /** Azure's rule for job names: letters, digits, hyphens and underscores, starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
    /** The longest command accepted: a script belongs in the code folder, not on the command line. */
    public static final int MAX_COMMAND = 64 * 1024;
    private static final String COMMAND = SparkJobs.COMMAND;
    private static final String SPARK = SparkJobs.SPARK;

    private final Store store;
    private final VmSizeCatalog sizes;
    private final AccessPolicy access;
    private final Clock clock;
    private final Listener runner;
    private final Predicate<String> runsImages;
    private final CuratedEnvironments curated;
    private final Function<String, Set<String>> engineJobTypes;

    /** What the runner is told once a change is recorded, so that its queue follows the store's at once. */
    public interface Listener {
        /** A job was recorded Queued. */
        void submitted(Job job);

        /** A job was canceled: gone from the queue, or to be ended. */
        void canceled(Job job);
    }

    /** A service whose attached computes all run command jobs. */
    public JobService(Store store, VmSizeCatalog sizes, AccessPolicy access, Clock clock, Listener runner,
                      Predicate<String> runsImages, CuratedEnvironments curated) {
        this(store, sizes, access, clock, runner, runsImages, curated, kind -> Set.of(COMMAND));
    }

    /**
     * @param runsImages     whether a backend (by name) runs jobs in a container of their environment's image
     * @param curated        Hangar's curated environments, and its instance image
     * @param engineJobTypes Azure's {@code jobType}s an attached kind runs ({@code Engines.jobTypes})
     */
    public JobService(Store store, VmSizeCatalog sizes, AccessPolicy access, Clock clock, Listener runner,
                      Predicate<String> runsImages, CuratedEnvironments curated,
                      Function<String, Set<String>> engineJobTypes) {
        this.engineJobTypes = engineJobTypes;
        this.runsImages = runsImages;
        this.curated = curated;
        this.store = store;
        this.sizes = sizes;
        this.access = access;
        this.clock = clock;
        this.runner = runner;
    }

    /** A job as submitted, and whether this call made it (201) or found it made by an earlier one (200). */
    public record Submitted(Job job, boolean created) {
    }

    /**
     * Queues the job. Submitting again the same command for the same compute returns the job (clients retry); a
     * different one under a taken name is 409 {@code JobExists}. A job on a compute instance runs commands in it as
     * its apps do, so it is refused (403) to whoever may not open them ({@link AccessPolicy#requireAppAccess}).
     */
    public Submitted submit(User caller, Workspace workspace, String name, JobSpec spec) {
        require(caller, workspace, Action.JOB_WRITE, name);
        if (name == null || !NAME.matcher(name).matches() || DeviceNames.isReserved(name)) {
            throw ApiException.badRequest("InvalidJobName", "Job name '" + name + "' is invalid: use 1 to 255 letters,"
                    + " digits, hyphens and underscores, starting with a letter or digit, and not a device name such"
                    + " as CON or NUL.", "name");
        }
        if (spec.spark() != null) {
            SparkJobs.check(spec);
        } else if (spec.command() == null || spec.command().isBlank()) {
            throw ApiException.badRequest("InvalidCommand", "A command job needs a command to run.", "command");
        }
        if (spec.command().length() > MAX_COMMAND) {
            throw ApiException.badRequest("InvalidCommand", "The command is " + spec.command().length()
                    + " characters; at most " + MAX_COMMAND + " are accepted. Put a long script in a file of the"
                    + " job's code and run that.", "command");
        }
        spec.environment().keySet().stream().filter(key -> !VARIABLE.matcher(key).matches()).findFirst()
                .ifPresent(key -> {
                    throw ApiException.badRequest("InvalidEnvironmentVariable", "'" + key + "' is not an environment"
                            + " variable name (letters, digits and underscores, not starting with a digit).",
                            "environmentVariables");
                });
        var priority = spec.priority() == null ? Job.MEDIUM : spec.priority();
        if (priority < Job.LOW || priority > Job.HIGH) {
            throw ApiException.badRequest("InvalidJobPriority", "A job's priority is 1 (low), 2 (medium) or 3"
                    + " (high), not " + priority + ".", "queueSettings.priority");
        }
        if (spec.computeName() == null || spec.computeName().isBlank()) {
            throw ApiException.badRequest("ComputeRequired", "A job needs the compute it runs on (computeId).",
                    "computeId");
        }
        var now = clock.instant();
        try {
            var submitted = store.inTransaction(tx -> {
                var existing = tx.findJob(workspace.id(), name);
                // A job on an instance runs commands in it as its apps do: the same rule as Jupyter and the terminal.
                var compute = JobTarget.find(tx, workspace, spec.computeName(), caller, instance ->
                        access.requireAppAccess(access.grants(tx, caller, workspace.id()), instance,
                                ComputeService.armId(workspace, instance.name())));
                var runs = compute.attached() ? engineJobTypes.apply(compute.backend()) : Set.of(COMMAND);
                SparkJobs.requireRuns(runs, spec.spark() == null ? COMMAND : SPARK, compute.name(),
                        compute.attached() ? "an attached " + compute.backend() : compute.isCluster() ? "a cluster"
                                : "a compute instance");
                if (spec.codeDigest() != null && tx.findCode(workspace.id(), spec.codeDigest()).isEmpty()) {
                    throw ApiException.badRequest("CodeNotFound", "Code snapshot '" + spec.codeDigest() + "' was"
                            + " not found in workspace '" + workspace.name() + "'; upload it first.", "codeId");
                }
                if (compute.kind() == TargetKind.Local && spec.environmentId() != null) {
                    throw LocalTarget.noImages();
                }
                var image = spec.environmentId() == null ? null : image(tx, workspace, compute, spec.environmentId());
                if (existing.isPresent()) {
                    var job = existing.get();
                    if (job.command().equals(spec.command()) && job.computeId().equals(compute.id())
                            && Objects.equals(job.codeDigest(), spec.codeDigest()) && Objects.equals(job.image(), image)
                            && Objects.equals(job.spark(), spec.spark())) {
                        return new Submitted(job, false);
                    }
                    throw ApiException.conflict("JobExists", "Job '" + name + "' exists already with another"
                            + " command, code or compute; a job cannot be changed once submitted. Submit it under a new name.");
                }
                var size = compute.vmSize() == null ? null : sizes.find(compute.vmSize()).orElse(null);
                var cores = spec.cores() == null ? 1 : spec.cores();
                var available = compute.cores() != null ? compute.cores() : size == null ? 1 : size.vCpus();
                if (cores < 1 || cores > available) {
                    throw ApiException.badRequest("InvalidJobCores", "The job asks for " + cores + " cores; compute '"
                            + compute.name() + "' (" + (compute.attached() ? compute.backend() : compute.vmSize())
                            + ") has " + available + (compute.isCluster() ? " per node" : "") + ".", "resources");
                }
                var instanceCount = spec.instanceCount() == null ? 1 : spec.instanceCount();
                if (instanceCount < 1 || instanceCount > compute.maxNodes()) {
                    throw ApiException.badRequest("InvalidInstanceCount", "The job asks for " + instanceCount
                            + " nodes; " + (compute.isCluster() ? "cluster '" + compute.name() + "' has at most "
                            + compute.maxNodes() + (compute.attached() ? " in its partition." : " (its maxNodeCount).")
                            : compute.kind() == TargetKind.Local ? "a local run runs on its submitter's machine alone."
                            : "a job on compute instance '" + compute.name() + "' runs on 1 node; run it on a cluster"
                            + " to use several."), "resources.instanceCount");
                }
                var job = tx.insertJob(new Job(UUID.randomUUID(), workspace.id(), name, spec.displayName(),
                        compute.id(), compute.name(), compute.kind(), spec.command(), spec.environment(), cores, instanceCount,
                        spec.codeDigest(), image, priority, JobStatus.Queued,
                        null, null, caller.ref(), now, null, null, 0, spec.spark()));
                tx.appendJobTransition(new JobTransition(job.id(), now, null, JobStatus.Queued, "submitted by "
                        + caller.name() + " to " + compute.name() + compute.waitsBecause()));
                return new Submitted(job, true);
            });
            if (submitted.created()) {
                runner.submitted(submitted.job());
            }
            return submitted;
        } catch (ConcurrentUpdateException e) {
            throw ApiException.conflict("JobExists", "Job '" + name + "' was submitted by another request meanwhile.");
        }
    }

    /** Refuses the submission to a caller whose roles do not grant it; routes call it before reading the body. */
    public void requireSubmit(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.JOB_WRITE, name);
    }

    public Job get(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.JOB_READ, name);
        return store.read(tx -> find(tx, workspace, name));
    }

    /** One page of the workspace's jobs that {@code filter} lets through, newest first. */
    public List<Job> list(User caller, Workspace workspace, JobFilter filter, int skip, int limit) {
        require(caller, workspace, Action.JOB_READ, null);
        return store.read(tx -> tx.jobs(workspace.id(), filter, skip, limit));
    }

    /**
     * A page of a list, how many jobs the whole list has, and what the caller may do in the workspace (read in the
     * same transaction, so that a page shows just the actions its reader may take).
     */
    public record Page(List<Job> rows, int total, AccessPolicy.Grants grants) {
    }

    /** One page of the workspace's jobs that {@code filter} lets through, newest first, and how many there are. */
    public Page page(User caller, Workspace workspace, JobFilter filter, int skip, int limit) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            access.require(grants, Action.JOB_READ, armId(workspace, null));
            return new Page(tx.jobs(workspace.id(), filter, skip, limit), tx.countJobs(workspace.id(), filter),
                    grants);
        });
    }

    /** A job, its history and what the caller may do in the workspace, read at once. */
    public record Detail(Job job, List<JobTransition> history, AccessPolicy.Grants grants) {
    }

    public Detail detail(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            access.require(grants, Action.JOB_READ, armId(workspace, name));
            var job = find(tx, workspace, name);
            return new Detail(job, tx.jobHistory(job.id()), grants);
        });
    }

    public List<JobTransition> history(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.JOB_READ, name);
        return store.read(tx -> tx.jobHistory(find(tx, workspace, name).id()));
    }

    /**
     * Cancels the job in any state: a queued one at once, a started one by ending its process tree (the runner
     * records Canceled when it is gone). Canceling an ended job changes nothing.
     */
    public Job cancel(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.JOB_CANCEL, name);
        for (int attempt = 1; ; attempt++) {
            try {
                var job = store.inTransaction(tx -> {
                    var current = find(tx, workspace, name);
                    if (current.status().isTerminal() || current.status() == JobStatus.CancelRequested) {
                        return current;
                    }
                    var now = clock.instant();
                    var next = current.status() == JobStatus.Queued || current.status() == JobStatus.NotStarted
                            ? current.end(JobStatus.Canceled, now, null, ComputeError.of("JobCanceled",
                                    "Canceled by " + caller.name() + " before it started."))
                            : current.moveTo(JobStatus.CancelRequested, now);
                    var updated = tx.updateJob(next);
                    tx.appendJobTransition(new JobTransition(current.id(), now, current.status(), updated.status(),
                            "canceled by " + caller.name()));
                    return updated;
                });
                runner.canceled(job);
                return job;
            } catch (ConcurrentUpdateException e) {
                if (attempt == 5) {
                    throw ApiException.conflict("JobChanging", "Job '" + name + "' kept changing; try again.");
                }
            }
        }
    }

    /**
     * Deletes a job that has ended, with its history; the caller removes its files ({@link JobFiles#delete}).
     * Returns the job deleted, empty when there was none. A job that has not ended is 409 {@code JobNotEnded}:
     * cancel it first, so that nothing runs that no record stands for.
     */
    public Optional<Job> delete(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.JOB_DELETE, name);
        return store.inTransaction(tx -> {
            var found = tx.findJob(workspace.id(), Objects.requireNonNullElse(name, ""));
            if (found.isEmpty()) {
                return found;
            }
            var job = found.get();
            if (!job.status().isTerminal()) {
                throw ApiException.conflict("JobNotEnded", "Job '" + name + "' is " + job.status() + "; a job is"
                        + " deleted once it ended. Cancel it first (POST .../jobs/" + name + "/cancel), then delete"
                        + " it when it is Canceled.");
            }
            tx.deleteJob(job.id());
            return found;
        });
    }

    /** Whether the workspace has no job of this id (any more): a deletion's poll. */
    public boolean gone(User caller, Workspace workspace, UUID jobId) {
        require(caller, workspace, Action.JOB_READ, null);
        return store.read(tx -> tx.job(jobId)).filter(job -> job.workspaceId().equals(workspace.id())).isEmpty();
    }

    /**
     * Where a job in the environment version it names runs. A curated version means the compute's own environment
     * on every backend; so does Hangar's instance image on a backend that runs no images (the host's instances stand
     * for it). Any other image runs in a container of its own where the backend runs images: 400
     * {@code ImagesUnsupported} elsewhere.
     */
    private Job.Image image(Transaction tx, Workspace workspace, JobTarget compute, String environmentId) {
        var version = EnvironmentService.resolve(tx, workspace, environmentId, curated);
        if (curated.isCurated(version.name())) {
            return Job.Image.own(version.name(), version.version());
        }
        if (compute.attached()) {
            if (!compute.runsImages()) {
                throw ApiException.badRequest("ImagesUnsupported", "Compute '" + compute.name() + "' is an attached "
                        + compute.backend() + ", where jobs run in the environment of its nodes, not in an image:"
                        + " submit it in " + curated.listed() + ", or to a compute of the container backend.",
                        "properties.environmentId");
            }
            return new Job.Image(version.name(), version.version(), version.image());
        }
        if (!runsImages.test(compute.backend())) {
            if (curated.isInstanceImage(version.image())) {
                return Job.Image.own(version.name(), version.version());
            }
            throw ApiException.badRequest("ImagesUnsupported", "Compute '" + compute.name() + "' runs on the '"
                    + compute.backend() + "' backend, where jobs run in the compute's own environment, not in image "
                    + version.image() + ": submit it in " + curated.listed() + " (or an environment of Hangar's"
                    + " instance image), or to a compute of the container backend.", "properties.environmentId");
        }
        return new Job.Image(version.name(), version.version(), version.image());
    }

    /** Refuses the caller an action on a job (or the workspace's jobs, when {@code name} is null), before anything is read. */
    public void require(User caller, Workspace workspace, Action action, String name) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action, armId(workspace, name));
            return null;
        });
    }

    private static Job find(Transaction tx, Workspace workspace, String name) {
        return tx.findJob(workspace.id(), Objects.requireNonNullElse(name, "")).orElseThrow(() ->
                ApiException.notFound("Job '" + name + "' was not found in workspace '" + workspace.name() + "'."));
    }

    public static String armId(Workspace workspace, String name) {
        return workspace.armId() + "/jobs" + (name == null ? "" : "/" + name);
    }
}

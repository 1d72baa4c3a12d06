package dev.hangar.core.job;

import dev.hangar.archive.Tarballs;
import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.cluster.ClusterNodes;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued jobs: a queue per compute, higher priority first and first submitted first within a priority, a job
 * starting when its compute is Running and has its cores free (an instance runs jobs side by side up to its size's
 * vCPUs; a cluster runs one job on each node, taking an idle node for it, and its {@code ClusterScaler} adds nodes for
 * the jobs that wait). The queue is kept in memory, loaded from the store when the runner starts and told of every submission and
 * cancel by {@link JobService}; the store stays the record of every job and every move. One runner per store.
 *
 * <p>A job is one command session in the instance (or node), through its backend, so it runs in the instance's
 * environment on every backend, in {@code ~/jobs/<name>}:
 * <ol>
 *   <li><b>Preparing</b> (when it names a code snapshot): the snapshot is unpacked there by {@code tar}, fed through
 *   a session's standard input, so it lands as the instance's user on every backend;</li>
 *   <li><b>Starting</b>, <b>Running</b>: its command, by the user's shell; its standard output and error, in the
 *   order written, go to {@link JobFiles}' log;</li>
 *   <li><b>Finalizing</b>: once the command ended, the same session reports its exit status and packs what it left in
 *   {@code ./outputs} (when anything) on the session's error stream, which the command never writes to; the outputs
 *   are checked as a snapshot is and kept in {@link JobFiles}, downloadable after the instance is gone.</li>
 * </ol>
 * Cancel, and a compute that stops, end the session and with it the job's process tree. Whatever a job left running
 * (every process of it carries {@value #MARK}) is ended when it ends: at once when it holds the job's output open,
 * else in the next sweep of its compute, which ends the leftovers of every job that ended meanwhile in one look.
 *
 * <p>After a restart, jobs that were running are recorded Failed ({@code JobInterrupted}), never run again: a job is
 * never lost and never runs twice.
 *
 * <p>Jobs of attached computes are not this runner's: their engines queue and run them, followed by
 * {@code EngineJobRunner}.
 */
public final class JobRunner implements JobService.Listener, AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(1);
    /** How long a job's output may stay open after its command ended before what holds it open is ended. */
    static final Duration OUTPUT_GRACE = Duration.ofMillis(500);
    /** How often what ended jobs left running is looked for. */
    static final Duration SWEEP = Duration.ofMillis(250);
    /** The variable every process of a job inherits, by which what it left running is found and ended. */
    static final String MARK = "HANGAR_JOB_ID";
    /** The variable that carries the command to the wrapper, so that it is never quoted into a command line. */
    static final String COMMAND = "HANGAR_JOB_COMMAND";
    /** What the wrapper writes on the session's error stream once the command ended, before the outputs. */
    static final String EXIT_LINE = "hangar-exit ";
    /** The code of a job whose environment's image the engine does not have. */
    static final String IMAGE_NOT_FOUND = "ImageNotFound";

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final EnumSet<JobStatus> ACTIVE = EnumSet.of(JobStatus.Preparing, JobStatus.Starting,
            JobStatus.Running, JobStatus.Finalizing, JobStatus.CancelRequested);
    private static final Comparator<Waiting> ORDER = Comparator.comparingInt((Waiting waiting) ->
            -waiting.job().priority()).thenComparingLong(Waiting::arrival);

    private final Store store;
    private final InstanceSessions sessions;
    private final InstanceContexts contexts;
    private final ClusterNodes nodes;
    private final VmSizeCatalog sizes;
    private final CodeService codes;
    private final JobFiles files;
    private final Clock clock;
    /** Guards {@link #queues}, {@link #arrivals} and {@link #leftovers}. */
    private final Object lock = new Object();
    private final Map<UUID, List<Waiting>> queues = new HashMap<>();
    private long arrivals;
    private final Map<UUID, Set<String>> leftovers = new HashMap<>();
    private final Map<UUID, Launched> launched = new ConcurrentHashMap<>();
    private final JobMoves moves;
    private final PeriodicLook looks = new PeriodicLook("hangar-jobs", POLL, this::dispatch);
    private volatile boolean stopped;
    private Instant lastLook = Instant.MIN;
    private Thread sweeper;

    public JobRunner(Store store, InstanceSessions sessions, InstanceContexts contexts, ClusterNodes nodes,
                     VmSizeCatalog sizes, CodeService codes, JobFiles files, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.contexts = contexts;
        this.nodes = nodes;
        this.sizes = sizes;
        this.codes = codes;
        this.files = files;
        this.clock = clock;
        this.moves = new JobMoves(store, clock);
    }

    /** A queued job and when it reached the queue, which orders it within its priority. */
    private record Waiting(Job job, long arrival) {
    }

    /**
     * Where a job runs, as its backend knows it: an instance, or one node of a cluster.
     *
     * @param hostId the instance's id, or the node's
     * @param label how messages name it: the instance, or {@code <cluster> node <node>}
     */
    private record Place(UUID hostId, String label, String backend, InstanceContext context) {

        static Place of(InstanceContexts contexts, ComputeInstance instance) {
            return new Place(instance.id(), instance.name(), instance.backend(), contexts.of(instance));
        }

        static Place of(InstanceContexts contexts, ComputeCluster cluster, ClusterNode node) {
            return new Place(node.id(), cluster.name() + " node " + node.name(), cluster.backend(),
                    contexts.ofNode(cluster, node));
        }
    }

    /**
     * A job this runner started: its compute and cores (or the cluster nodes it took), its sessions while open, and
     * why it must end, if it must.
     */
    private static final class Launched {
        final UUID computeId;
        final int cores;
        /** The cluster nodes it runs on, rank 0 first; empty on an instance. */
        final List<UUID> nodeIds;
        final List<InstanceSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile String stoppedBecause;
        volatile boolean canceled;
        /** Its node was preempted: unless it ended first, it goes back to the queue. */
        volatile boolean preempted;
        /** The job as it went back to the queue, once it did. */
        volatile Job requeued;
        /** The rank of a job over several nodes whose command failed first (its cause), or -1. */
        final java.util.concurrent.atomic.AtomicInteger firstFailed = new java.util.concurrent.atomic.AtomicInteger(-1);

        Launched(UUID computeId, int cores, List<UUID> nodeIds) {
            this.computeId = computeId;
            this.cores = cores;
            this.nodeIds = List.copyOf(nodeIds);
        }

        void end() {
            sessions.forEach(InstanceSession::close);
        }
    }


    /** Whether jobs this runner started are running on the compute (its state shows {@code JobRunning}). */
    public boolean runsJobsOn(UUID computeId) {
        return launched.values().stream().anyMatch(job -> job.computeId.equals(computeId));
    }

    /** How many jobs wait in the compute's queue: a cluster's scaler grows it for them. */
    public int waiting(UUID computeId) {
        synchronized (lock) {
            var queue = queues.get(computeId);
            return queue == null ? 0 : queue.stream().mapToInt(waiting -> waiting.job().instanceCount()).sum();
        }
    }

    /** Ends what a previous run left active, loads the queue, then starts dispatching. */
    public void start() {
        recover();
        for (var job : store.read(tx -> mine(tx, tx.jobsInStatus(EnumSet.of(JobStatus.Queued))))) {
            enqueue(job);
        }
        looks.start();
        sweeper = Thread.ofPlatform().daemon().name("hangar-job-leftovers").start(this::sweep);
    }

    @Override
    public void submitted(Job job) {
        enqueue(job);
        wake();
    }

    @Override
    public void canceled(Job job) {
        if (job.status() == JobStatus.Canceled) {
            synchronized (lock) {
                var queue = queues.get(job.computeId());
                if (queue != null) {
                    queue.removeIf(waiting -> waiting.job().id().equals(job.id()));
                }
            }
        }
        var mine = launched.get(job.id());
        if (mine != null) {
            mine.canceled = true;
            mine.end();
        }
        wake();
    }

    /** Has the runner look at its queues at once (a cluster's node became idle). */
    public void wake() {
        looks.wake();
    }

    private void enqueue(Job job) {
        synchronized (lock) {
            var queue = queues.computeIfAbsent(job.computeId(), id -> new ArrayList<>());
            if (launched.containsKey(job.id()) || queue.stream().anyMatch(w -> w.job().id().equals(job.id()))) {
                // Submitted while the queue was being loaded: it is there once.
                return;
            }
            var waiting = new Waiting(job, arrivals++);
            int at = queue.size();
            while (at > 0 && ORDER.compare(queue.get(at - 1), waiting) > 0) {
                at--;
            }
            queue.add(at, waiting);
        }
    }

    private void recover() {
        var held = store.read(tx -> tx.allNodes()).stream().filter(node -> node.jobId() != null).toList();
        for (var job : store.read(tx -> mine(tx, tx.jobsInStatus(ACTIVE)))) {
            // Its processes may have outlived the Hangar that started them: they must not run on unrecorded. They
            // are on its instance, or on every node it held.
            var hosts = held.stream().filter(node -> node.jobId().equals(job.id())).map(ClusterNode::id).toList();
            (hosts.isEmpty() ? List.of(job.computeId()) : hosts).forEach(hostId ->
                    placeOf(hostId).ifPresent(place -> endLeftoversNow(job, place)));
            var now = clock.instant();
            if (job.status() == JobStatus.CancelRequested) {
                move(job.id(), current -> current.end(JobStatus.Canceled, now, null, ComputeError.of(
                        "JobCanceled", "Canceled; Hangar stopped meanwhile.")), "canceled while Hangar stopped");
            } else {
                move(job.id(), current -> current.end(JobStatus.Failed, now, null, ComputeError.of(
                        "JobInterrupted", "Hangar stopped while the job ran. It is not run again, so that it never"
                                + " runs twice; submit it again.")), "Hangar stopped while it ran");
            }
        }
        // No job runs yet: every node a job held is free again, also one whose job ended just before a crash let it go.
        held.forEach(node -> nodes.release(node.id(), node.jobId()));
    }

    /** Those of the jobs this runner runs: not those of attached computes, whose engines run them. */
    private static List<Job> mine(Transaction tx, List<Job> jobs) {
        var attached = tx.allAttached().stream().map(compute -> compute.id()).collect(java.util.stream.Collectors.toSet());
        return jobs.stream().filter(job -> !attached.contains(job.computeId())).toList();
    }

    /** One look at the queues: computes that stopped under their jobs (each {@link #POLL}), and jobs that now fit. */
    void dispatch() {
        var now = clock.instant();
        if (!now.isBefore(lastLook.plus(POLL))) {
            lookAtRunningComputes();
            lastLook = now;
        }
        List<UUID> waiting;
        synchronized (lock) {
            queues.values().removeIf(List::isEmpty);
            waiting = new ArrayList<>(queues.keySet());
        }
        for (var computeId : waiting) {
            var compute = store.read(tx -> tx.compute(computeId)).orElse(null);
            if (compute != null) {
                if (compute.state() == InstanceState.Running) {
                    startWhatFits(compute);
                }
                continue;
            }
            var cluster = store.read(tx -> tx.cluster(computeId)).orElse(null);
            if (cluster == null || cluster.state() == ClusterState.Deleting) {
                failQueue(computeId);
            } else if (cluster.state() == ClusterState.Succeeded) {
                startOnNodes(cluster);
            }
        }
    }

    /** One read for every job this runner started: each compute and cluster is read once, however many jobs it runs. */
    private void lookAtRunningComputes() {
        var gone = store.read(tx -> {
            var instances = new HashMap<UUID, java.util.Optional<ComputeInstance>>();
            var clusters = new HashMap<UUID, java.util.Optional<ComputeCluster>>();
            var reasons = new HashMap<Launched, String>();
            for (var mine : launched.values()) {
                var why = whyGone(tx, mine, id -> instances.computeIfAbsent(id, tx::compute),
                        id -> clusters.computeIfAbsent(id, tx::cluster));
                if (why != null) {
                    reasons.put(mine, why);
                }
            }
            return reasons;
        });
        gone.forEach((mine, why) -> {
            mine.stoppedBecause = why;
            mine.end();
        });
    }

    /** Why the job's instance or node no longer runs it, or null while it does; notes a preempted node. */
    private String whyGone(Launched mine) {
        return store.read(tx -> whyGone(tx, mine, tx::compute, tx::cluster));
    }

    private static String whyGone(Transaction tx, Launched mine,
                                  java.util.function.Function<UUID, java.util.Optional<ComputeInstance>> instances,
                                  java.util.function.Function<UUID, java.util.Optional<ComputeCluster>> clusters) {
        if (mine.nodeIds.isEmpty()) {
            var compute = instances.apply(mine.computeId).orElse(null);
            return compute == null ? "its compute was deleted"
                    : compute.state() != InstanceState.Running ? "its compute is " + compute.state() : null;
        }
        var cluster = clusters.apply(mine.computeId).orElse(null);
        if (cluster == null || cluster.state() == ClusterState.Deleting) {
            return "its cluster was deleted";
        }
        for (var nodeId : mine.nodeIds) {
            var node = tx.node(nodeId).orElse(null);
            if (node != null && node.state() == NodeState.Preempted) {
                mine.preempted = true;
                return "its node " + node.name() + " was preempted";
            }
            if (node != null && node.state() == NodeState.Unusable) {
                return "its node " + node.name() + " was lost";
            }
            if (node == null || node.state() != NodeState.Running) {
                return "its node was removed";
            }
        }
        return null;
    }

    private void failQueue(UUID computeId) {
        List<Waiting> gone;
        synchronized (lock) {
            gone = queues.remove(computeId);
        }
        for (var waiting : gone == null ? List.<Waiting>of() : gone) {
            var job = waiting.job();
            move(job.id(), current -> current.status() != JobStatus.Queued ? current : current.end(JobStatus.Failed,
                    clock.instant(), null, ComputeError.of("ComputeNotFound", "Compute '" + job.computeName()
                            + "' was deleted before the job ran.")), "its compute was deleted");
        }
    }

    /** Starts the compute's queued jobs in order while their cores fit; the first that does not fit stops the rest. */
    private void startWhatFits(ComputeInstance compute) {
        var capacity = sizes.find(compute.vmSize()).map(size -> size.vCpus()).orElse(1);
        while (!stopped) {
            Waiting head;
            int busy;
            synchronized (lock) {
                var queue = queues.get(compute.id());
                if (queue == null || queue.isEmpty()) {
                    return;
                }
                head = queue.getFirst();
                busy = launched.values().stream().filter(job -> job.computeId.equals(compute.id()))
                        .mapToInt(job -> job.cores).sum();
                if (busy + head.job().cores() > capacity) {
                    // Nothing behind it on this compute jumps the queue.
                    return;
                }
                queue.removeFirst();
                if (launched.putIfAbsent(head.job().id(), new Launched(compute.id(), head.job().cores(), List.of()))
                        != null) {
                    continue;
                }
            }
            launch(head.job(), List.of(Place.of(contexts, compute)), " (" + (busy + head.job().cores()) + " of "
                    + capacity + " cores)");
        }
    }

    /** Starts the cluster's queued jobs in order, each on an idle node it takes, while idle nodes remain. */
    private void startOnNodes(ComputeCluster cluster) {
        while (!stopped) {
            Waiting head;
            synchronized (lock) {
                var queue = queues.get(cluster.id());
                if (queue == null || queue.isEmpty()) {
                    return;
                }
                head = queue.getFirst();
            }
            var job = head.job();
            var taken = nodes.claim(cluster.id(), job.id(), job.instanceCount());
            if (taken.isEmpty()) {
                // The scaler adds nodes for the jobs that wait; each that becomes idle wakes this runner.
                return;
            }
            var nodeIds = taken.stream().map(ClusterNode::id).toList();
            synchronized (lock) {
                var queue = queues.get(cluster.id());
                var first = queue != null && !queue.isEmpty() && queue.getFirst() == head;
                if (first) {
                    queue.removeFirst();
                }
                if (!first || launched.putIfAbsent(job.id(), new Launched(cluster.id(), job.cores(), nodeIds))
                        != null) {
                    // Canceled, or taken by a look of its own, meanwhile: the nodes go back.
                    nodeIds.forEach(nodeId -> nodes.release(nodeId, job.id()));
                    continue;
                }
            }
            var places = taken.stream().map(node -> Place.of(contexts, cluster, node)).toList();
            launch(job, places, places.size() == 1 ? "" : " and " + (places.size() - 1) + " more nodes");
        }
    }

    /** Moves the job, now launched, to its first state and runs it; a job canceled meanwhile is let go. */
    private void launch(Job job, List<Place> places, String detail) {
        var mine = launched.get(job.id());
        var first = job.codeDigest() == null ? JobStatus.Starting : JobStatus.Preparing;
        var started = move(job.id(), current -> current.status() == JobStatus.Queued
                ? current.moveTo(first, clock.instant()) : current,
                (first == JobStatus.Preparing ? "copying its code to " : "starting on ") + places.getFirst().label()
                        + detail);
        if (started == null || started.status() != first) {
            launched.remove(job.id());
            mine.nodeIds.forEach(nodeId -> nodes.release(nodeId, job.id()));
            return;
        }
        Thread.ofVirtual().name("job-" + job.name()).start(() -> execute(started, places, mine));
    }

    /**
     * Runs the job on its places: its code copied to each, then its command on each at once, rank 0 first (a job over
     * several nodes gets the variables of {@link #distributed}); its end once every command ended.
     */
    private void execute(Job job, List<Place> places, Launched mine) {
        try {
            if (job.codeDigest() != null && !prepare(job, places, mine)) {
                return;
            }
            var opened = new ArrayList<InstanceSession>();
            try {
                var master = places.size() == 1 ? null : master(places.getFirst());
                for (int rank = 0; rank < places.size(); rank++) {
                    var place = places.get(rank);
                    var environment = environment(job);
                    if (master != null) {
                        environment.putAll(distributed(rank, places.size(), master));
                    }
                    // In its environment's image, a container of its own; else in the instance's (or node's).
                    SessionRequest request = job.image() == null || !job.image().inContainer()
                            ? new SessionRequest.Command(line(job, false), null, environment, List.of(outputs(job)))
                            : new SessionRequest.Container(job.image().reference(), line(job, true), environment);
                    var session = sessions.open(place.backend(), place.context(), request);
                    opened.add(session);
                    mine.sessions.add(session);
                }
            } catch (RuntimeException e) {
                opened.forEach(InstanceSession::close);
                if (whyGone(mine) != null && mine.preempted) {
                    requeue(job, mine);
                    return;
                }
                // An image the engine does not have keeps its own code: users look for it.
                var code = e instanceof ApiException failure && IMAGE_NOT_FOUND.equals(failure.code())
                        ? IMAGE_NOT_FOUND : "JobStartFailed";
                move(job.id(), current -> current.status().isTerminal() ? current : current.end(
                        current.status() == JobStatus.CancelRequested ? JobStatus.Canceled : JobStatus.Failed,
                        clock.instant(), null, ComputeError.of(code, "The job could not start on '"
                                + places.get(opened.size()).label() + "': " + e.getMessage())), "could not start");
                return;
            }
            var running = move(job.id(), current -> current.status() == JobStatus.Starting
                    ? current.moveTo(JobStatus.Running, clock.instant()) : current,
                    places.size() == 1 ? "running" : "running on " + places.size() + " nodes");
            if (running == null || running.status() != JobStatus.Running || mine.canceled
                    || mine.stoppedBecause != null) {
                mine.end();
            }
            var ends = new RankEnd[places.size()];
            try (var log = files.append(job.id())) {
                var others = new ArrayList<Thread>();
                for (int rank = 1; rank < places.size(); rank++) {
                    var r = rank;
                    others.add(Thread.ofVirtual().start(() -> {
                        try {
                            ends[r] = runRank(job, places, r, opened.get(r), log, mine);
                        } catch (IOException | InterruptedException | RuntimeException e) {
                            LOG.warn("Node rank {} of job {} failed in Hangar", r, job.name(), e);
                            ends[r] = new RankEnd(new Ending(null, null, null, null), -1);
                            mine.firstFailed.compareAndSet(-1, r);
                            mine.end();
                        }
                    }));
                }
                ends[0] = runRank(job, places, 0, opened.getFirst(), log, mine);
                for (var other : others) {
                    other.join();
                }
            }
            var failedRank = Math.max(mine.firstFailed.get(), 0);
            finish(job, mine, ends[0].ending(), ends[failedRank].exit(), places.size() == 1 ? -1 : failedRank);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.warn("Job {} failed in Hangar", job.name(), e);
            move(job.id(), current -> current.status().isTerminal() ? current : current.end(JobStatus.Failed,
                    clock.instant(), null, ComputeError.of("JobRunFailed", "Hangar could not run the job: " + e)),
                    "Hangar failed");
        } finally {
            launched.remove(job.id());
            mine.nodeIds.forEach(nodeId -> nodes.release(nodeId, job.id()));
            if (mine.requeued != null) {
                enqueue(mine.requeued);
            }
            wake();
        }
    }

    /** How one rank's command ended: as the wrapper told (with rank 0's outputs), and its exit status. */
    private record RankEnd(Ending ending, int exit) {
    }

    /**
     * Follows one rank's command to its end: its output to the log (each line marked with its rank when there are
     * several), its ending from the wrapper. A rank that fails ends the others, which would wait for it in vain.
     */
    private RankEnd runRank(Job job, List<Place> places, int rank, InstanceSession session, OutputStream log,
                            Launched mine) throws InterruptedException, IOException {
        var place = places.get(rank);
        try (var sink = places.size() == 1 ? new NodeLines(log, null) : new NodeLines(log, "[node " + rank + "] ")) {
            var out = Thread.ofVirtual().start(() -> pump(session.output(), sink));
            var ending = readEnding(session.errors(), sink, job, rank == 0);
            var exit = session.exitStatus().toCompletableFuture().join();
            out.join(OUTPUT_GRACE);
            if (out.isAlive()) {
                // What it left running holds its output open: ended now, so that the job can end.
                endLeftoversNow(job, place);
                out.join();
            }
            session.close();
            // A job is over when its command is: what it started in the background ends with it.
            endLeftoversSoon(job, place);
            var status = ending.status() != null ? ending.status() : exit;
            if (status != 0 && places.size() > 1) {
                mine.firstFailed.compareAndSet(-1, rank);
                mine.end();
            }
            return new RankEnd(ending, status);
        }
    }

    /**
     * The variables of a job over several nodes, as PyTorch's launcher and Azure's distributed jobs set them: where
     * rank 0 listens ({@code MASTER_ADDR}, {@code MASTER_PORT}), how many nodes, and this one's rank.
     */
    static Map<String, String> distributed(int rank, int nodes, java.net.InetSocketAddress master) {
        var variables = new LinkedHashMap<String, String>();
        variables.put("MASTER_ADDR", master.getHostString());
        variables.put("MASTER_PORT", Integer.toString(master.getPort()));
        variables.put("WORLD_SIZE", Integer.toString(nodes));
        variables.put("AZUREML_NODE_COUNT", Integer.toString(nodes));
        variables.put("NODE_RANK", Integer.toString(rank));
        variables.put("RANK", Integer.toString(rank));
        variables.put("LOCAL_RANK", "0");
        return variables;
    }

    /**
     * Where rank 0 of a job over several nodes listens: its node's address, and a port free on this host now (the
     * host backend's nodes share the host's ports; a container's are its own).
     */
    private java.net.InetSocketAddress master(Place first) {
        String address;
        try {
            address = sessions.address(first.backend(), first.context());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot learn the address of " + first.label() + ": " + e.getMessage(), e);
        }
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return java.net.InetSocketAddress.createUnresolved(address, probe.getLocalPort());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("No free port for MASTER_PORT", e);
        }
    }

    /** Puts the job of a preempted node back in the queue, unless it was canceled or ended meanwhile. */
    private void requeue(Job job, Launched mine) {
        var moved = move(job.id(), current -> current.status() == JobStatus.CancelRequested
                ? current.end(JobStatus.Canceled, clock.instant(), null, ComputeError.of("JobCanceled",
                        "Canceled while its node was preempted."))
                : current.status().canMoveTo(JobStatus.Queued) ? current.requeue() : current,
                mine.stoppedBecause + "; it waits in the queue to run again");
        if (moved != null && moved.status() == JobStatus.Queued) {
            mine.requeued = moved;
        }
    }

    /** Records how the job ended: Finalizing when its command ended, then its end, in one transaction. */
    /** @param failedRank the rank whose exit status {@code exit} is, for a job over several nodes; else -1 */
    private void finish(Job job, Launched mine, Ending ending, int exit, int failedRank) {
        if (mine.stoppedBecause == null && exit != 0) {
            // The backend may have ended the processes of an instance being stopped before this runner looked.
            mine.stoppedBecause = whyGone(mine);
        }
        if (mine.preempted && ending.at() == null && !stopped) {
            // Its command did not end: it runs again, from the start, on another node.
            requeue(job, mine);
            return;
        }
        var outputs = keepOutputs(job, ending);
        var steps = new ArrayList<JobMoves.Step>();
        if (ending.at() != null) {
            steps.add(new JobMoves.Step(current -> current.status() == JobStatus.Running
                    ? current.moveTo(JobStatus.Finalizing, ending.at()) : current,
                    "its command exited with " + exit, ending.at()));
        }
        var at = clock.instant();
        steps.add(new JobMoves.Step(current -> {
            if (stopped) {
                return current.end(JobStatus.Failed, at, exit, ComputeError.of("JobInterrupted", "Hangar"
                        + " stopped while the job ran, and ended it. It is not run again; submit it again."));
            }
            if (current.status() == JobStatus.CancelRequested) {
                return current.end(JobStatus.Canceled, at, exit, ComputeError.of("JobCanceled",
                        "Canceled while it ran; its processes were ended."));
            }
            if (mine.stoppedBecause != null && exit != 0) {
                return current.end(JobStatus.Failed, at, exit, ComputeError.of("ComputeStopped",
                        "The job was ended because " + mine.stoppedBecause + "."));
            }
            return exit == 0 ? current.end(JobStatus.Completed, at, 0, null)
                    : current.end(JobStatus.Failed, at, exit, ComputeError.of("JobFailed",
                            "The command exited with " + exit + (failedRank < 0 ? "" : " on node rank "
                                    + failedRank) + "."));
        }, "ended with exit status " + exit + "; " + outputs, at));
        move(job.id(), steps);
    }

    /**
     * The job's working folder in the instance, {@code ~/jobs/<name>} with its {@code outputs} (made by the line when
     * {@code makesFolders}, else by the backend: {@link #outputs}); its command, from {@value #COMMAND}, by the user's
     * shell in a subshell of its own; then, on file descriptor 9 (the session's error stream, which the command never
     * sees: its own errors go to its output), the exit status and, when it left anything in {@code ./outputs}, those
     * packed by {@code tar}.
     */
    static String line(Job job, boolean makesFolders) {
        return "exec 9>&2 2>&1\n"
                + (makesFolders ? "mkdir -p " + folder(job) + "/outputs && " : "") + "cd " + folder(job)
                + " || exit 97\n"
                + "(exec 9>&-; hangar_command=$" + COMMAND + "; unset " + COMMAND + "; eval \"$hangar_command\")\n"
                + "hangar_status=$?\n"
                + "printf '" + EXIT_LINE + "%d\\n' \"$hangar_status\" >&9\n"
                + "for hangar_output in outputs/* outputs/.[!.]* outputs/..?*; do\n"
                + "  if [ -e \"$hangar_output\" ] || [ -L \"$hangar_output\" ]; then tar -czf - outputs >&9; break; fi\n"
                + "done\n"
                + "exit \"$hangar_status\"\n";
    }

    /** The job's outputs folder, relative to the home: made with its parents before the job's first command. */
    static String outputs(Job job) {
        return "jobs/" + job.name() + "/outputs";
    }

    private static String folder(Job job) {
        return "\"$HOME/jobs/" + job.name() + "\"";
    }

    static Map<String, String> environment(Job job) {
        var environment = new LinkedHashMap<String, String>(job.environment());
        environment.put("AZUREML_RUN_ID", job.name());
        environment.put("HANGAR_JOB_NAME", job.name());
        environment.put(MARK, job.id().toString());
        environment.put(COMMAND, job.command());
        return environment;
    }

    /**
     * How the command ended, as the wrapper told on the error stream: its exit status and when it was read, and the
     * packed outputs that followed (null when none came); all null when the session ended before the command did.
     */
    private record Ending(Integer status, Instant at, Path outputs, String problem) {
    }

    /** @param keepOutputs whether to keep what the wrapper packs after the status (rank 0's), or drop it */
    private Ending readEnding(InputStream errors, OutputStream log, Job job, boolean keepOutputs) {
        var raw = partial(job);
        try (errors) {
            var line = new ByteArrayOutputStream();
            int b;
            while ((b = errors.read()) >= 0 && b != '\n' && line.size() < 64) {
                line.write(b);
            }
            var text = line.toString(StandardCharsets.UTF_8);
            var status = b == '\n' && text.matches(EXIT_LINE + "-?\\d{1,9}")
                    ? Integer.valueOf(text.substring(EXIT_LINE.length())) : null;
            if (status == null) {
                // Not the wrapper's: whatever the shell said before it ran belongs to the log.
                synchronized (log) {
                    log.write(line.toByteArray());
                    if (b >= 0) {
                        log.write(b);
                    }
                    log.flush();
                }
                pump(errors, log);
                return new Ending(null, null, null, null);
            }
            var at = clock.instant();
            if (!keepOutputs) {
                errors.transferTo(OutputStream.nullOutputStream());
                return new Ending(status, at, null, null);
            }
            Files.createDirectories(raw.getParent());
            long kept;
            try (var file = Files.newOutputStream(raw)) {
                kept = copyAtMost(errors, file, Tarballs.OUTPUT_LIMITS.maxBytes());
            }
            if (kept < 0) {
                Files.deleteIfExists(raw);
                return new Ending(status, at, null, "its outputs were not kept: they are larger than "
                        + Tarballs.OUTPUT_LIMITS.maxBytes() + " bytes packed");
            }
            if (kept == 0) {
                Files.deleteIfExists(raw);
                return new Ending(status, at, null, null);
            }
            return new Ending(status, at, raw, null);
        } catch (IOException e) {
            deleteQuietly(raw);
            return new Ending(null, null, null, "its outputs could not be copied: " + e.getMessage());
        }
    }

    /** Copies at most {@code limit} bytes; beyond it drains the rest and returns -1. */
    private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            total += read;
            if (total > limit) {
                in.transferTo(OutputStream.nullOutputStream());
                return -1;
            }
            out.write(buffer, 0, read);
        }
        return total;
    }

    /** Checks and keeps the outputs the wrapper packed; returns what the job's history says of them. */
    private String keepOutputs(Job job, Ending ending) {
        if (ending.problem() != null) {
            return ending.problem();
        }
        if (ending.at() == null) {
            return "its outputs were not copied: the session ended before its command did";
        }
        if (ending.outputs() == null) {
            return "no outputs";
        }
        return files.keepOutputs(job.id(), ending.outputs());
    }

    private Path partial(Job job) {
        var target = files.outputs(job.id());
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    /**
     * Unpacks the job's code snapshot in its folder, then moves it to Starting; false (the job ended) when that
     * failed or the job was canceled meanwhile.
     */
    private boolean prepare(Job job, List<Place> places, Launched mine) throws InterruptedException {
        var exit = 0;
        var errors = new ByteArrayOutputStream();
        var place = places.getFirst();
        for (var each : places) {
            place = each;
            exit = copyCode(job, each, mine, errors);
            if (exit != 0 || mine.canceled || mine.stoppedBecause != null) {
                break;
            }
        }
        var failure = errors.toString(StandardCharsets.UTF_8).strip();
        var result = exit;
        var where = place.label();
        var moved = move(job.id(), current -> {
            var now = clock.instant();
            if (current.status() == JobStatus.CancelRequested) {
                return current.end(JobStatus.Canceled, now, null, ComputeError.of("JobCanceled",
                        "Canceled while its code was copied."));
            }
            if (mine.preempted && current.status().canMoveTo(JobStatus.Queued)) {
                return current.requeue();
            }
            if (mine.stoppedBecause != null || result != 0) {
                return current.end(JobStatus.Failed, now, null, ComputeError.of("CodePreparationFailed",
                        "The job's code could not be copied to '" + where + "'"
                                + (mine.stoppedBecause != null ? " because " + mine.stoppedBecause
                                : " (exit status " + result + (failure.isEmpty() ? "" : ": " + failure) + ")")
                                + "."));
            }
            return current.status() == JobStatus.Preparing ? current.moveTo(JobStatus.Starting, now) : current;
        }, mine.preempted ? mine.stoppedBecause + "; it waits in the queue to run again"
                : "code " + job.codeDigest().substring(0, 12) + " copied"
                        + (result == 0 ? "" : ": exit status " + result));
        if (moved != null && moved.status() == JobStatus.Queued) {
            mine.requeued = moved;
        }
        return moved != null && moved.status() == JobStatus.Starting;
    }

    /** Unpacks the job's code snapshot in its folder on one place, by {@code tar}; returns tar's exit status. */
    private int copyCode(Job job, Place place, Launched mine, ByteArrayOutputStream errors)
            throws InterruptedException {
        var unpack = "cd " + folder(job) + " && tar -xzf - --no-same-owner";
        InstanceSession opened = null;
        try (var session = sessions.open(place.backend(), place.context(),
                new SessionRequest.Command(unpack, null, environment(job), List.of(outputs(job))))) {
            opened = session;
            mine.sessions.add(session);
            if (mine.canceled) {
                session.close();
            }
            var err = Thread.ofVirtual().start(() -> pump(session.errors(), errors));
            var out = Thread.ofVirtual().start(() -> pump(session.output(), OutputStream.nullOutputStream()));
            try (var input = session.input(); var archive = Files.newInputStream(codes.archive(job.codeDigest()))) {
                archive.transferTo(input);
            } catch (IOException e) {
                // The session ended early (a cancel, or tar refused): its exit status says which.
            }
            var exit = session.exitStatus().toCompletableFuture().join();
            out.join();
            err.join();
            return exit;
        } catch (RuntimeException e) {
            errors.writeBytes(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            return -1;
        } finally {
            if (opened != null) {
                mine.sessions.remove(opened);
            }
        }
    }

    /** Ends whatever processes of the job still run in {@code place} (holding its output open), now. */
    private void endLeftoversNow(Job job, Place place) {
        try {
            sessions.endProcesses(place.backend(), place.context(), Set.of(MARK + "=" + job.id()));
        } catch (RuntimeException e) {
            LOG.warn("Cannot end what job {} left running: {}", job.name(), e.getMessage());
        }
    }

    /** Has the next sweep end whatever processes of the job still run where it ran. */
    private void endLeftoversSoon(Job job, Place place) {
        synchronized (lock) {
            leftovers.computeIfAbsent(place.hostId(), id -> new HashSet<>()).add(MARK + "=" + job.id());
        }
    }

    /** The running instance, or the live node of a cluster, of this id. */
    private java.util.Optional<Place> placeOf(UUID hostId) {
        return store.read(tx -> {
            var compute = tx.compute(hostId);
            if (compute.isPresent()) {
                return compute.filter(instance -> instance.state() == InstanceState.Running)
                        .map(instance -> Place.of(contexts, instance));
            }
            return tx.node(hostId).filter(node -> node.state().isLive())
                    .flatMap(node -> tx.cluster(node.clusterId()).map(cluster -> Place.of(contexts, cluster, node)));
        });
    }

    /** Every {@link #SWEEP}: one look per compute for the processes of all the jobs that ended there meanwhile. */
    private void sweep() {
        while (!stopped) {
            try {
                Thread.sleep(SWEEP);
            } catch (InterruptedException e) {
                return;
            }
            Map<UUID, Set<String>> due;
            synchronized (lock) {
                due = new HashMap<>(leftovers);
                leftovers.clear();
            }
            due.forEach((hostId, markers) -> {
                try {
                    placeOf(hostId).ifPresent(place ->
                            sessions.endProcesses(place.backend(), place.context(), markers));
                } catch (RuntimeException e) {
                    LOG.warn("Cannot end what {} jobs left running: {}", markers.size(), e.getMessage());
                }
            });
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        var buffer = new byte[8192];
        try (from) {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                synchronized (to) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // The session ended: what it wrote so far is kept.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", file, e);
        }
    }

    private Job move(UUID id, UnaryOperator<Job> change, String reason) {
        return moves.move(id, change, reason);
    }

    private Job move(UUID id, List<JobMoves.Step> steps) {
        return moves.move(id, steps);
    }

    @Override
    public void close() {
        stopped = true;
        launched.values().forEach(Launched::end);
        looks.close();
        if (sweeper != null) {
            sweeper.interrupt();
            try {
                sweeper.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

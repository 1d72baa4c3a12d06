package dev.hangar.core.job;

import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job taken off its queue on its places (its instance, or the nodes it took), each rank in a session of its
 * own, through the place's backend, so that it runs in the instance's environment on every backend, in
 * {@code ~/jobs/<name>}:
 * <ol>
 *   <li><b>Preparing</b> (when it names a code snapshot): {@link CodeCopier};</li>
 *   <li><b>Starting</b>, <b>Running</b>: its command in {@link JobWrapper}, on every place at once (a job over several
 *   nodes gets the variables of {@link #distributed}); its output, in the order written, goes to {@link JobFiles}' log,
 *   each line marked with its rank when there are several;</li>
 *   <li>its end once every rank's command ended.</li>
 * </ol>
 * Cancel, and a compute that stops, end the sessions and with them the job's process trees; what it left running is
 * ended by the {@link LeftoverSweeper}. Each move is recorded by {@link RunMoves}. Each job runs on a virtual thread of
 * its own.
 */
final class JobLauncher {
    /** How long a job's output may stay open after its command ended before what holds it open is ended. */
    static final Duration OUTPUT_GRACE = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    private final InstanceSessions sessions;
    private final JobFiles files;
    private final JobWrapper wrapper;
    private final CodeCopier code;
    private final LeftoverSweeper leftovers;
    private final RunMoves moves;
    private final BiConsumer<Job, RunningJob> ended;

    /** @param ended told when a job launched is over here (ended, back in the queue, or never started) */
    JobLauncher(InstanceSessions sessions, JobFiles files, JobWrapper wrapper, CodeCopier code,
                LeftoverSweeper leftovers, RunMoves moves, BiConsumer<Job, RunningJob> ended) {
        this.sessions = sessions;
        this.files = files;
        this.wrapper = wrapper;
        this.code = code;
        this.leftovers = leftovers;
        this.moves = moves;
        this.ended = ended;
    }

    /**
     * Moves the job, now taken off its queue, to its first state and runs it; a job canceled meanwhile is let go.
     *
     * @param detail what the history adds to where it starts
     */
    void launch(Job job, RunningJob mine, List<JobPlace> places, String detail) {
        var first = job.codeDigest() == null ? JobStatus.Starting : JobStatus.Preparing;
        var started = moves.start(job, first, (first == JobStatus.Preparing ? "copying its code to "
                : "starting on ") + places.getFirst().label() + detail);
        if (started == null) {
            ended.accept(job, mine);
            return;
        }
        Thread.ofVirtual().name("job-" + job.name()).start(() -> execute(started, places, mine));
    }

    /**
     * Runs the job on its places: its code copied to each, then its command on each at once, rank 0 first; its end
     * once every command ended.
     */
    private void execute(Job job, List<JobPlace> places, RunningJob mine) {
        try {
            if (job.codeDigest() != null && !code.prepare(job, places, mine)) {
                return;
            }
            var opened = new ArrayList<InstanceSession>();
            try {
                var master = places.size() == 1 ? null : master(places.getFirst());
                for (int rank = 0; rank < places.size(); rank++) {
                    var environment = JobWrapper.environment(job);
                    if (master != null) {
                        environment.putAll(distributed(rank, places.size(), master));
                    }
                    var place = places.get(rank);
                    var session = sessions.open(place.backend(), place.context(), request(job, environment));
                    opened.add(session);
                    mine.sessions.add(session);
                }
            } catch (RuntimeException e) {
                opened.forEach(InstanceSession::close);
                moves.startFailed(job, mine, places.get(opened.size()).label(), e);
                return;
            }
            var running = moves.running(job, places.size() == 1 ? "running" : "running on " + places.size() + " nodes");
            if (!running || mine.canceled || mine.stoppedBecause != null) {
                mine.end();
            }
            var rankEnds = runRanks(job, places, opened, mine);
            var failedRank = Math.max(mine.firstFailed.get(), 0);
            moves.finish(job, mine, rankEnds[0].ending(), rankEnds[failedRank].exit(),
                    places.size() == 1 ? -1 : failedRank);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.warn("Job {} failed in Hangar", job.name(), e);
            moves.runFailed(job, e);
        } finally {
            ended.accept(job, mine);
        }
    }

    /** In its environment's image, a container of its own; else in the instance's (or node's). */
    private static SessionRequest request(Job job, Map<String, String> environment) {
        return job.image() == null || !job.image().inContainer()
                ? new SessionRequest.Command(JobWrapper.line(job, false), null, environment,
                        List.of(JobWrapper.outputs(job)))
                : new SessionRequest.Container(job.image().reference(), JobWrapper.line(job, true), environment);
    }

    /** How one rank's command ended: as the wrapper told (with rank 0's outputs), and its exit status. */
    private record RankEnd(JobWrapper.Ending ending, int exit) {
    }

    /** Follows every rank's command to its end, rank 0 on this thread and the others each on one of its own. */
    private RankEnd[] runRanks(Job job, List<JobPlace> places, List<InstanceSession> opened, RunningJob mine)
            throws IOException, InterruptedException {
        var rankEnds = new RankEnd[places.size()];
        try (var log = files.append(job.id())) {
            var others = new ArrayList<Thread>();
            for (int rank = 1; rank < places.size(); rank++) {
                var r = rank;
                others.add(Thread.ofVirtual().start(() -> {
                    try {
                        rankEnds[r] = runRank(job, places, r, opened.get(r), log, mine);
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        LOG.warn("Node rank {} of job {} failed in Hangar", r, job.name(), e);
                        rankEnds[r] = new RankEnd(JobWrapper.Ending.NONE, -1);
                        mine.firstFailed.compareAndSet(-1, r);
                        mine.end();
                    }
                }));
            }
            rankEnds[0] = runRank(job, places, 0, opened.getFirst(), log, mine);
            for (var other : others) {
                other.join();
            }
        }
        return rankEnds;
    }

    /**
     * Follows one rank's command to its end: its output to the log (each line marked with its rank when there are
     * several), its ending from the wrapper. A rank that fails ends the others, which would wait for it in vain.
     */
    private RankEnd runRank(Job job, List<JobPlace> places, int rank, InstanceSession session, OutputStream log,
                            RunningJob mine) throws InterruptedException, IOException {
        var place = places.get(rank);
        try (var sink = places.size() == 1 ? new NodeLines(log, null) : new NodeLines(log, "[node " + rank + "] ")) {
            var out = Thread.ofVirtual().start(() -> JobWrapper.pump(session.output(), sink));
            var ending = wrapper.readEnding(session.errors(), sink, job, rank == 0);
            var exit = session.exitStatus().toCompletableFuture().join();
            out.join(OUTPUT_GRACE);
            if (out.isAlive()) {
                // What it left running holds its output open: ended now, so that the job can end.
                leftovers.endNow(job, place);
                out.join();
            }
            session.close();
            // A job is over when its command is: what it started in the background ends with it.
            leftovers.endSoon(job, place);
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
    static Map<String, String> distributed(int rank, int nodes, InetSocketAddress master) {
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
    private InetSocketAddress master(JobPlace first) {
        String address;
        try {
            address = sessions.address(first.backend(), first.context());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot learn the address of " + first.label() + ": " + e.getMessage(), e);
        }
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return InetSocketAddress.createUnresolved(address, probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for MASTER_PORT", e);
        }
    }
}

package dev.hangar.core.job;

import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.store.Store;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what jobs left running where they ran: every process of a job carries its {@value JobEnvironment#JOB_ID}, by
 * which the backend finds it. At once for a job whose leftovers hold its output open (or after a restart), else in the
 * next sweep of its instance or node, which ends the leftovers of every job that ended there meanwhile in one look.
 */
final class LeftoverSweeper implements AutoCloseable {
    /** How often what ended jobs left running is looked for. */
    static final Duration SWEEP = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);

    private final Store store;
    private final InstanceSessions sessions;
    private final InstanceContexts contexts;
    private final Map<UUID, Set<String>> leftovers = new HashMap<>();
    private final PeriodicLook looks = new PeriodicLook("hangar-job-leftovers", SWEEP, this::sweep);

    LeftoverSweeper(Store store, InstanceSessions sessions, InstanceContexts contexts) {
        this.store = store;
        this.sessions = sessions;
        this.contexts = contexts;
    }

    void start() {
        looks.start();
    }

    /** Ends whatever processes of the job still run in {@code place} (holding its output open), now. */
    void endNow(Job job, JobPlace place) {
        try {
            sessions.endProcesses(place.backend(), place.context(), Set.of(mark(job)));
        } catch (RuntimeException e) {
            LOG.warn("Cannot end what job {} left running: {}", job.name(), e.getMessage());
        }
    }

    /** Has the next sweep end whatever processes of the job still run where it ran. */
    void endSoon(Job job, JobPlace place) {
        synchronized (leftovers) {
            leftovers.computeIfAbsent(place.hostId(), id -> new HashSet<>()).add(mark(job));
        }
    }

    private static String mark(Job job) {
        return JobEnvironment.JOB_ID + "=" + job.id();
    }

    /** Every {@link #SWEEP}: one look per compute for the processes of all the jobs that ended there meanwhile. */
    private void sweep() {
        Map<UUID, Set<String>> due;
        synchronized (leftovers) {
            due = new HashMap<>(leftovers);
            leftovers.clear();
        }
        due.forEach((hostId, markers) -> {
            try {
                JobPlace.find(store, contexts, hostId).ifPresent(place ->
                        sessions.endProcesses(place.backend(), place.context(), markers));
            } catch (RuntimeException e) {
                LOG.warn("Cannot end what {} jobs left running: {}", markers.size(), e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        looks.close();
    }
}

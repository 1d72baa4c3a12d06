package dev.hangar.core.job;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs the runner started and that have not ended yet, by job id. Thread-safe. */
final class RunningJobs {
    private final Map<UUID, RunningJob> jobs = new ConcurrentHashMap<>();

    /** Registers a job taken off its queue; false when it runs already. */
    boolean add(UUID jobId, RunningJob job) {
        return jobs.putIfAbsent(jobId, job) == null;
    }

    RunningJob get(UUID jobId) {
        return jobs.get(jobId);
    }

    boolean contains(UUID jobId) {
        return jobs.containsKey(jobId);
    }

    void remove(UUID jobId) {
        jobs.remove(jobId);
    }

    Collection<RunningJob> all() {
        return jobs.values();
    }

    boolean anyOn(UUID computeId) {
        return jobs.values().stream().anyMatch(job -> job.computeId.equals(computeId));
    }

    /** The cores the jobs running on an instance hold. */
    int coresOn(UUID computeId) {
        return jobs.values().stream().filter(job -> job.computeId.equals(computeId)).mapToInt(job -> job.cores).sum();
    }
}

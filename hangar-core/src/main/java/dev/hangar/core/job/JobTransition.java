package dev.hangar.core.job;

import java.time.Instant;
import java.util.UUID;

/** One line of a job's history: it moved from {@code from} (null when it was submitted) to {@code to}, and why. */
public record JobTransition(UUID jobId, Instant at, JobStatus from, JobStatus to, String reason) {
}

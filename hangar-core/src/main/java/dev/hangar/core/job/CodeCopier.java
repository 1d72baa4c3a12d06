package dev.hangar.core.job;

import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;

/**
 * A job's <b>Preparing</b>: its code snapshot unpacked in its folder on each of its places by {@code tar}, fed through
 * a session's standard input, so that it lands as the instance's user on every backend; then the move to Starting.
 */
final class CodeCopier {
    private final InstanceSessions sessions;
    private final CodeService codes;
    private final JobMoves moves;
    private final Clock clock;

    CodeCopier(InstanceSessions sessions, CodeService codes, JobMoves moves, Clock clock) {
        this.sessions = sessions;
        this.codes = codes;
        this.moves = moves;
        this.clock = clock;
    }

    /**
     * Unpacks the job's code snapshot in its folder, then moves it to Starting; false (the job ended, or went back to
     * the queue) when that failed or the job was canceled or preempted meanwhile.
     */
    boolean prepare(Job job, List<JobPlace> places, RunningJob mine) throws InterruptedException {
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
        var moved = moves.move(job.id(), current -> {
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
    private int copyCode(Job job, JobPlace place, RunningJob mine, ByteArrayOutputStream errors)
            throws InterruptedException {
        var unpack = "cd " + JobWrapper.folder(job) + " && tar -xzf - --no-same-owner";
        InstanceSession opened = null;
        try (var session = sessions.open(place.backend(), place.context(),
                new SessionRequest.Command(unpack, null, JobWrapper.environment(job),
                        List.of(JobWrapper.outputs(job))))) {
            opened = session;
            mine.sessions.add(session);
            if (mine.canceled) {
                session.close();
            }
            var err = Thread.ofVirtual().start(() -> JobWrapper.pump(session.errors(), errors));
            var out = Thread.ofVirtual().start(() ->
                    JobWrapper.pump(session.output(), OutputStream.nullOutputStream()));
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
}

package dev.hangar.core.job.local;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.job.JobFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A local run's log, as its CLI sends it: each piece is appended at the offset the CLI says it starts at, so that a
 * piece sent again (a retry after a lost answer) is never written twice, and a gap is refused. The log's modification
 * time is when the CLI last reported, whatever the report: how a run whose CLI vanished is found.
 *
 * <p>Appends to one file are serialized under a lock on the file (within this server and between processes on one
 * host); a piece is written whole or, on a failed write, cut off again.
 */
final class LocalLog {
    /** The most one report carries; the CLI sends more in several. */
    static final int MAX_PIECE = 1024 * 1024;
    /** The most a local run's log holds; beyond, pieces are refused (413) and only the CLI's terminal shows them. */
    static final long MAX_LOG = 256L * 1024 * 1024;

    private final JobFiles files;
    private final Clock clock;
    /** One JVM's threads cannot wait on each other's file locks (they fail instead): they take one of these first. */
    private final Object[] stripes = new Object[64];

    LocalLog(JobFiles files, Clock clock) {
        this.files = files;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Appends {@code piece}, which starts at byte {@code offset} of the log; returns the log's length after it. What
     * of the piece the log holds already is skipped.
     *
     * @throws ApiException 409 {@code LogOffsetMismatch} when {@code offset} is past the log's end (a piece was lost),
     *                      413 {@code LogPieceTooLarge} or {@code LogTooLarge}
     */
    long append(UUID jobId, long offset, byte[] piece) {
        if (piece.length > MAX_PIECE) {
            throw ApiException.tooLarge("LogPieceTooLarge", "A log report carries at most " + MAX_PIECE + " bytes, not "
                    + piece.length + "; send the rest in the next.", null);
        }
        if (offset < 0) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "offset must be a byte offset, 0 or more.",
                    "offset");
        }
        synchronized (stripes[Math.floorMod(jobId.hashCode(), stripes.length)]) {
            return appendLocked(jobId, offset, piece);
        }
    }

    private long appendLocked(UUID jobId, long offset, byte[] piece) {
        var file = files.log(jobId);
        try {
            Files.createDirectories(file.getParent());
            try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var lock = channel.lock()) {
                var length = channel.size();
                if (offset > length) {
                    throw ApiException.conflict("LogOffsetMismatch", "The log holds " + length + " bytes; a piece"
                            + " from byte " + offset + " would leave a gap. Send from byte " + length + ".");
                }
                var skip = (int) Math.min(piece.length, length - offset);
                var fresh = piece.length - skip;
                if (fresh > 0 && length + fresh > MAX_LOG) {
                    throw ApiException.tooLarge("LogTooLarge", "A local run's log holds at most " + MAX_LOG
                            + " bytes; the rest is shown only where it runs.", null);
                }
                write(channel, length, ByteBuffer.wrap(piece, skip, fresh));
                Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
                return length + fresh;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the log of job " + jobId, e);
        }
    }

    /** Notes that the run's CLI reported, without output; returns the log's length. */
    long touch(UUID jobId) {
        return append(jobId, length(jobId), new byte[0]);
    }

    long length(UUID jobId) {
        try {
            var file = files.log(jobId);
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the log of job " + jobId, e);
        }
    }

    /** When the run's CLI last reported, if it ever did. */
    Optional<Instant> lastReport(UUID jobId) {
        try {
            var file = files.log(jobId);
            return Files.exists(file) ? Optional.of(Files.getLastModifiedTime(file).toInstant()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void write(FileChannel channel, long at, ByteBuffer bytes) throws IOException {
        try {
            var position = at;
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
        } catch (IOException e) {
            // Not half-written: what this piece added is cut off, and the CLI sends it again from the same offset.
            channel.truncate(at);
            throw e;
        }
    }
}

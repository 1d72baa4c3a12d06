package dev.hangar.core.job;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where jobs' output is kept: {@code <root>/<job id>/std_log.txt}, standard output and error interleaved as the
 * command wrote them (Azure's {@code user_logs/std_log.txt}). Written while the job runs, read at any offset, kept
 * after it ends.
 */
public final class JobLogs {
    public static final String STD_LOG = "std_log.txt";

    private final Path root;

    public JobLogs(Path root) {
        this.root = root;
    }

    public Path file(UUID jobId) {
        return root.resolve(jobId.toString()).resolve(STD_LOG);
    }

    /** A stream appending to the job's log, made (with its folder) when missing. */
    public OutputStream append(UUID jobId) {
        try {
            var file = file(jobId);
            Files.createDirectories(file.getParent());
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the log of job " + jobId, e);
        }
    }

    /** A piece of a log: its bytes from an offset, and the offset to ask for next. */
    public record Chunk(byte[] bytes, long next) {
    }

    /** At most {@code limit} bytes of the job's log from {@code offset}; empty before anything was written. */
    public Chunk read(UUID jobId, long offset, int limit) {
        var file = file(jobId);
        if (!Files.exists(file)) {
            return new Chunk(new byte[0], 0);
        }
        try (var channel = Files.newByteChannel(file)) {
            var size = channel.size();
            var from = Math.min(Math.max(0, offset), size);
            var buffer = java.nio.ByteBuffer.allocate((int) Math.min(limit, size - from));
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read until the buffer is full or the file ends
            }
            return new Chunk(java.util.Arrays.copyOf(buffer.array(), buffer.position()), from + buffer.position());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the log of job " + jobId, e);
        }
    }
}

package dev.hangar.core.job;

import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * What Hangar keeps of each job, in {@code <root>/<job id>/}: {@code std_log.txt}, standard output and error
 * interleaved as the command wrote them (Azure's {@code user_logs/std_log.txt}), written while the job runs, read at
 * any offset, kept after it ends; and {@code outputs.tar.gz}, what the job left in its {@code ./outputs} folder,
 * copied out of the compute when it ended.
 */
public final class JobFiles {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobFiles.class);
    public static final String STD_LOG = "std_log.txt";
    public static final String OUTPUTS = "outputs.tar.gz";

    private final Path root;

    public JobFiles(Path root) {
        this.root = root;
    }

    public Path log(UUID jobId) {
        return root.resolve(jobId.toString()).resolve(STD_LOG);
    }

    /** The job's outputs as a tar.gz; there once the job ended and its outputs were copied. */
    public Path outputs(UUID jobId) {
        return root.resolve(jobId.toString()).resolve(OUTPUTS);
    }

    /**
     * Checks outputs a job packed (a tar.gz, as a code snapshot is checked) and keeps them as the job's; removes the
     * packed file either way. Returns what the job's history says of them.
     */
    public String keepOutputs(UUID jobId, Path packed) {
        var target = outputs(jobId);
        try (var in = Files.newInputStream(packed); var out = Files.newOutputStream(target)) {
            var listing = Tarballs.normalize(in, out, Tarballs.OUTPUT_LIMITS, Tarballs.Others.SKIP);
            if (listing.files() == 0) {
                out.close();
                Files.deleteIfExists(target);
                return "no outputs";
            }
            return "outputs kept: " + listing.files() + " files, " + listing.bytes() + " bytes";
        } catch (TarballException e) {
            deleteQuietly(target);
            return "its outputs were not kept: " + e.getMessage();
        } catch (IOException e) {
            deleteQuietly(target);
            LOG.warn("Cannot keep the outputs of job {}", jobId, e);
            return "its outputs could not be kept: " + e.getMessage();
        } finally {
            deleteQuietly(packed);
        }
    }

    /** Removes what is kept of a job (its log and outputs), once its record is gone. */
    public void delete(UUID jobId) {
        deleteQuietly(log(jobId));
        deleteQuietly(outputs(jobId));
        deleteQuietly(root.resolve(jobId.toString()));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove {}", file, e);
        }
    }

    /** A stream appending to the job's log, made (with its folder) when missing. */
    public OutputStream append(UUID jobId) {
        try {
            var file = log(jobId);
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
        var file = log(jobId);
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

package dev.hangar.backend.spark;

import dev.hangar.core.spi.engine.EngineException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A driver's log as one stream: the worker that runs the driver keeps its {@code stdout} and {@code stderr} apart (in
 * its own work folder, served by its web UI's {@code /log/}), and a job has one log. At each read, what each of the two
 * gained since the last is appended to {@code driver.log} in the job's folder (stdout's new part, then stderr's), and
 * where each was read up to is kept beside it, so that a restarted Hangar goes on where it was. Lines written to both
 * between two reads are therefore grouped by stream, not interleaved to the millisecond.
 */
final class DriverLogs {
    static final String LOG = "driver.log";
    private static final String READ_UP_TO = "driver.log.read";
    /** The most of each stream copied in one read. */
    private static final int PIECE = 512 * 1024;

    private final SparkRest rest;

    DriverLogs(SparkRest rest) {
        this.rest = rest;
    }

    /**
     * Copies what the driver wrote since the last read (when {@code workerUi}, the web UI of the worker that runs it,
     * is known), then returns at most {@code limit} bytes of the log from {@code offset}.
     */
    synchronized byte[] read(Path folder, String driverId, URI workerUi, long offset, int limit) {
        try {
            if (workerUi != null) {
                copy(folder, driverId, workerUi);
            }
            var log = folder.resolve(LOG);
            if (!Files.exists(log)) {
                return new byte[0];
            }
            try (var file = new RandomAccessFile(log.toFile(), "r")) {
                var length = (int) Math.max(0, Math.min(limit, file.length() - offset));
                var bytes = new byte[length];
                file.seek(offset);
                file.readFully(bytes);
                return bytes;
            }
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkLogUnreadable", "Cannot keep the log of driver " + driverId
                    + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    private void copy(Path folder, String driverId, URI workerUi) throws IOException {
        var marks = folder.resolve(READ_UP_TO);
        var read = Files.exists(marks) ? Files.readString(marks).strip().split(" ") : new String[] {"0", "0"};
        var out = Long.parseLong(read[0]);
        var err = Long.parseLong(read[1]);
        var stdout = rest.log(workerUi, driverId, "stdout", out, PIECE);
        var stderr = rest.log(workerUi, driverId, "stderr", err, PIECE);
        if (stdout.end() <= out && stderr.end() <= err) {
            return;
        }
        try (var log = Files.newOutputStream(folder.resolve(LOG), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            if (stdout.end() > out) {
                log.write(stdout.text().getBytes(StandardCharsets.UTF_8));
            }
            if (stderr.end() > err) {
                log.write(stderr.text().getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.writeString(marks, Math.max(out, stdout.end()) + " " + Math.max(err, stderr.end()));
    }
}

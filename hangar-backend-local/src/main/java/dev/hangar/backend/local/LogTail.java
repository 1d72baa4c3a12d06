package dev.hangar.backend.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** The last lines of a log, for error messages that must say why an app failed. */
final class LogTail {
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {
    }

    static String of(Path log, int lines) {
        try (var file = new RandomAccessFile(log.toFile(), "r")) {
            var length = file.length();
            var size = (int) Math.min(length, MAX_BYTES);
            var bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            var all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}

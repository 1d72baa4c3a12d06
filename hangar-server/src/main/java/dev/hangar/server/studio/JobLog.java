package dev.hangar.server.studio;

import dev.hangar.core.job.JobFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

/**
 * A job's log as a page shows it: text read from a byte offset of {@link JobFiles}' log, cut at whole UTF-8
 * characters (a character the job is still writing is sent with the next piece), and, on a page, its last
 * {@link #PAGE_MOST} bytes at most.
 */
final class JobLog {
    /** The most of a log a page shows when it is rendered; the API's logs route has all of it. */
    static final int PAGE_MOST = 1024 * 1024;
    /** The most one live event carries. */
    static final int EVENT_MOST = 64 * 1024;

    private JobLog() {
    }

    /** Text of the log: from the byte offset {@code from}, up to (not including) {@code next}. */
    record Text(String text, long from, long next) {
        boolean isEmpty() {
            return text.isEmpty();
        }
    }

    /** Where a page starts showing the log: its start, or {@link #PAGE_MOST} bytes before its end. */
    static long pageStart(JobFiles files, UUID job) {
        try {
            var file = files.log(job);
            return Files.exists(file) ? Math.max(0, Files.size(file) - PAGE_MOST) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the log of job " + job, e);
        }
    }

    /**
     * At most {@code limit} bytes of the log from {@code offset}, as text. A character cut by {@code offset} is
     * skipped (a page's tail may start in one); one cut by the end is left for the next read unless {@code ended}
     * (the job wrote its last byte: what is there is all there will be).
     */
    static Text read(JobFiles files, UUID job, long offset, int limit, boolean ended) {
        var chunk = files.read(job, offset, limit);
        var bytes = chunk.bytes();
        var from = chunk.next() - bytes.length;
        var start = 0;
        while (from > 0 && start < Math.min(3, bytes.length) && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        var end = ended && bytes.length < limit ? bytes.length : wholeCharacters(bytes);
        if (end < start) {
            end = start;
        }
        return new Text(new String(bytes, start, end - start, StandardCharsets.UTF_8), from + start, from + end);
    }

    /** The length of {@code bytes} without a last UTF-8 character it has only the first bytes of. */
    static int wholeCharacters(byte[] bytes) {
        for (int i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
            var b = bytes[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return i + length > bytes.length ? i : bytes.length;
        }
        return bytes.length;
    }
}

package dev.hangar.core.job;

import dev.hangar.archive.Tarballs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell wrapper a job's command runs in on an instance or node, and the reading of what it reports: in
 * {@code ~/jobs/<name>}, the command by the user's shell, its output and errors together on the session's output;
 * once it ended, on the session's error stream (which the command never writes to), its exit status as
 * {@value #EXIT_LINE}{@code <status>} and, when it left anything in {@code ./outputs}, those packed by {@code tar}.
 * The packed outputs are checked as a snapshot is and kept in {@link JobFiles}, downloadable after the instance is
 * gone.
 */
final class JobWrapper {
    /** The variable that carries the command to the wrapper, so that it is never quoted into a command line. */
    static final String COMMAND = "HANGAR_JOB_COMMAND";
    /** What the wrapper writes on the session's error stream once the command ended, before the outputs. */
    static final String EXIT_LINE = "hangar-exit ";

    private static final Logger LOG = LoggerFactory.getLogger(JobWrapper.class);

    private final JobFiles files;
    private final Clock clock;

    JobWrapper(JobFiles files, Clock clock) {
        this.files = files;
        this.clock = clock;
    }

    /**
     * The job's working folder in the instance, {@code ~/jobs/<name>} with its {@code outputs} (made by the line when
     * {@code makesFolders}, else by the backend: {@link #outputs}); its command, from {@value #COMMAND}, by the user's
     * shell in a subshell of its own; then, on file descriptor 9 (the session's error stream, which the command never
     * sees: its own errors go to its output), the exit status and, when it left anything in {@code ./outputs}, those
     * packed by {@code tar}.
     */
    static String line(Job job, boolean makesFolders) {
        return "exec 9>&2 2>&1\n"
                + (makesFolders ? "mkdir -p " + folder(job) + "/outputs && " : "") + "cd " + folder(job)
                + " || exit 97\n"
                + "(exec 9>&-; hangar_command=$" + COMMAND + "; unset " + COMMAND + "; eval \"$hangar_command\")\n"
                + "hangar_status=$?\n"
                + "printf '" + EXIT_LINE + "%d\\n' \"$hangar_status\" >&9\n"
                + "for hangar_output in outputs/* outputs/.[!.]* outputs/..?*; do\n"
                + "  if [ -e \"$hangar_output\" ] || [ -L \"$hangar_output\" ]; then tar -czf - outputs >&9; break; fi\n"
                + "done\n"
                + "exit \"$hangar_status\"\n";
    }

    /** The job's outputs folder, relative to the home: made with its parents before the job's first command. */
    static String outputs(Job job) {
        return "jobs/" + job.name() + "/outputs";
    }

    /** The job's folder, quoted for the shell. */
    static String folder(Job job) {
        return "\"$HOME/jobs/" + job.name() + "\"";
    }

    /** The job's variables ({@link JobEnvironment}) and its command, for the wrapper. */
    static Map<String, String> environment(Job job) {
        var environment = JobEnvironment.of(job);
        environment.put(COMMAND, job.command());
        return environment;
    }

    /**
     * How the command ended, as the wrapper told on the error stream: its exit status and when it was read, and the
     * packed outputs that followed (null when none came); all null when the session ended before the command did.
     */
    record Ending(Integer status, Instant at, Path outputs, String problem) {
        static final Ending NONE = new Ending(null, null, null, null);
    }

    /**
     * Reads the wrapper's report on a session's error stream; what the shell said before the wrapper ran goes to the
     * log.
     *
     * @param keepOutputs whether to keep what the wrapper packs after the status (rank 0's), or drop it
     */
    Ending readEnding(InputStream errors, OutputStream log, Job job, boolean keepOutputs) {
        var raw = partial(job);
        try (errors) {
            var line = new ByteArrayOutputStream();
            int b;
            while ((b = errors.read()) >= 0 && b != '\n' && line.size() < 64) {
                line.write(b);
            }
            var text = line.toString(StandardCharsets.UTF_8);
            var status = b == '\n' && text.matches(EXIT_LINE + "-?\\d{1,9}")
                    ? Integer.valueOf(text.substring(EXIT_LINE.length())) : null;
            if (status == null) {
                // Not the wrapper's: whatever the shell said before it ran belongs to the log.
                synchronized (log) {
                    log.write(line.toByteArray());
                    if (b >= 0) {
                        log.write(b);
                    }
                    log.flush();
                }
                pump(errors, log);
                return Ending.NONE;
            }
            var at = clock.instant();
            if (!keepOutputs) {
                errors.transferTo(OutputStream.nullOutputStream());
                return new Ending(status, at, null, null);
            }
            Files.createDirectories(raw.getParent());
            long kept;
            try (var file = Files.newOutputStream(raw)) {
                kept = copyAtMost(errors, file, Tarballs.OUTPUT_LIMITS.maxBytes());
            }
            if (kept < 0) {
                Files.deleteIfExists(raw);
                return new Ending(status, at, null, "its outputs were not kept: they are larger than "
                        + Tarballs.OUTPUT_LIMITS.maxBytes() + " bytes packed");
            }
            if (kept == 0) {
                Files.deleteIfExists(raw);
                return new Ending(status, at, null, null);
            }
            return new Ending(status, at, raw, null);
        } catch (IOException e) {
            deleteQuietly(raw);
            return new Ending(null, null, null, "its outputs could not be copied: " + e.getMessage());
        }
    }

    /** Copies at most {@code limit} bytes; beyond it drains the rest and returns -1. */
    private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            total += read;
            if (total > limit) {
                in.transferTo(OutputStream.nullOutputStream());
                return -1;
            }
            out.write(buffer, 0, read);
        }
        return total;
    }

    /** Checks and keeps the outputs the wrapper packed; returns what the job's history says of them. */
    String keepOutputs(Job job, Ending ending) {
        if (ending.problem() != null) {
            return ending.problem();
        }
        if (ending.at() == null) {
            return "its outputs were not copied: the session ended before its command did";
        }
        if (ending.outputs() == null) {
            return "no outputs";
        }
        return files.keepOutputs(job.id(), ending.outputs());
    }

    private Path partial(Job job) {
        var target = files.outputs(job.id());
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    /** Copies a session's stream to {@code to} until the session ends, each read flushed: {@code to} is shared. */
    static void pump(InputStream from, OutputStream to) {
        var buffer = new byte[8192];
        try (from) {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                synchronized (to) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // The session ended: what it wrote so far is kept.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", file, e);
        }
    }
}

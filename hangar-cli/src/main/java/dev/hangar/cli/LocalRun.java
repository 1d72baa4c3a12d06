package dev.hangar.cli;

import dev.hangar.api.LocalRun.Report;
import dev.hangar.client.HangarException;
import dev.hangar.client.JobClient;
import dev.hangar.client.LocalRunClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A local run ({@code hangar job create --compute local}): the job is recorded in the workspace, and this CLI runs its
 * command with {@code bash -c} in a fresh work folder on this machine, with the job's variables, printing its output
 * and reporting it (start, output every second or a heartbeat, outputs, exit code) to the server. A cancel from
 * the API or the studio is seen on the next report and ends the command's process tree; Ctrl-C cancels the job.
 * Environment images are not used: the command runs in this machine's own environment.
 */
final class LocalRun {
    /** The CLI's exit code for a canceled local run, as a shell's for a command ended by Ctrl-C. */
    static final int CANCELED = 130;
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int PIECE = 1024 * 1024;
    /** How many times the output left when the command ended is offered to a server that does not take it. */
    private static final int LAST_FLUSHES = 30;

    private final HangarCommand command;
    private final JobClient jobs;
    private final LocalRunClient reports;
    private final String name;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final CountDownLatch reported = new CountDownLatch(1);
    private long offset;
    private boolean logRefused;
    private volatile boolean canceled;
    private volatile boolean interrupted;

    LocalRun(HangarCommand command, JobClient jobs, String name) {
        this.command = command;
        this.jobs = jobs;
        this.reports = jobs.local(name);
        this.name = name;
    }

    /** Whether a job's compute means this machine: {@code local} or {@code azureml:local}. */
    static boolean isLocal(String compute) {
        return compute != null && compute.strip().toLowerCase(Locale.ROOT).replaceFirst("^azureml:", "")
                .equals("local");
    }

    /** A local run's code is a folder on this machine, not a snapshot on the server. */
    static void refuseSnapshot(String codeId) {
        if (codeId != null) {
            throw new CliException("LocalRunCode", "a local run takes its code from a folder on this machine (--code"
                    + " DIR, or code: <folder> in the YAML), not from snapshot " + codeId, ExitCodes.USAGE);
        }
    }

    /** A local run names no environment: it runs in this machine's own; says so when one was asked for. */
    static String withoutEnvironment(HangarCommand command, JobEnvironment asked) {
        if (!asked.equals(JobEnvironment.NONE)) {
            command.err().println("Note: environment " + (asked.image() != null ? asked.image() : asked.id())
                    + " is not used: a local run runs in this machine's own environment, with bash.");
        }
        return null;
    }

    /** Runs the recorded job's {@code commandLine} in a folder with {@code code}'s files; returns its exit code. */
    int run(String commandLine, Path code) {
        var started = start();
        if (started == null) {
            return exitCode(jobs.get(name).properties().status(), null);
        }
        var work = LocalWorkFolder.create(name, code);
        command.err().println("Job '" + name + "' runs here, in " + work.path() + ".");
        command.err().flush();
        var builder = new ProcessBuilder("bash", "-c", commandLine).directory(work.path().toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(started.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            report(() -> reports.end(127));
            throw new UncheckedIOException("Cannot run bash for job " + name, e);
        }
        var hook = Thread.ofPlatform().unstarted(() -> interrupt(process));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            var pump = Thread.ofVirtual().start(() -> pump(process.getInputStream()));
            follow(process);
            join(pump);
            for (int attempt = 1; !flush() && attempt < LAST_FLUSHES; attempt++) {
                sleep();
            }
            var exit = process.exitValue();
            sendOutputs(work);
            if (interrupted && !canceled) {
                jobs.cancel(name);
            }
            var ended = report(() -> reports.end(exit));
            var status = ended == null ? jobs.get(name).properties().status() : ended.status();
            command.err().println("Job '" + name + "' " + status + " (exit code " + exit + "). Its record: hangar job"
                    + " show -n " + name + "; its outputs: hangar job download -n " + name + ".");
            return exitCode(status, exit);
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down (Ctrl-C): the hook is running
            }
        }
    }

    /** Reports the start; null when the job was canceled before it could start. */
    private dev.hangar.api.LocalRun.Start start() {
        try {
            return reports.start();
        } catch (HangarException e) {
            if ("LocalRunEnded".equals(e.code())) {
                command.err().println("Job '" + name + "' is not run here: " + e.getMessage());
                return null;
            }
            throw e;
        }
    }

    /** Reports every second while the command runs; ends its processes when the job was canceled. */
    private void follow(Process process) {
        try {
            while (!process.waitFor(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                flush();
                if (canceled) {
                    ProcessTree.end(process.toHandle());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTree.end(process.toHandle());
        }
    }

    /** Copies the command's output to the terminal and to what the next report sends. */
    private void pump(InputStream output) {
        var buffer = new byte[64 * 1024];
        var carry = new byte[0];
        try (output) {
            int read;
            while ((read = output.read(buffer)) > 0) {
                synchronized (pending) {
                    pending.write(buffer, 0, read);
                }
                var text = Arrays.copyOf(carry, carry.length + read);
                System.arraycopy(buffer, 0, text, carry.length, read);
                var whole = Utf8.completeLength(text);
                command.out().print(new String(text, 0, whole, StandardCharsets.UTF_8));
                command.out().flush();
                carry = Arrays.copyOfRange(text, whole, text.length);
            }
        } catch (IOException e) {
            // the command's output closed: it ended
        }
    }

    /**
     * Sends what the command wrote since the last report (or an empty piece: it still runs); true when it was
     * taken. A piece that did not arrive is sent again from the same offset, so the log never holds it twice.
     */
    private boolean flush() {
        byte[] piece;
        synchronized (pending) {
            var all = pending.toByteArray();
            piece = logRefused ? new byte[0] : Arrays.copyOf(all, Math.min(all.length, PIECE));
        }
        try {
            var report = reports.log(offset, piece);
            synchronized (pending) {
                var all = pending.toByteArray();
                pending.reset();
                var sent = logRefused ? all.length : piece.length;
                pending.write(all, sent, all.length - sent);
            }
            offset = report.logLength();
            canceled |= report.cancelRequested();
            synchronized (pending) {
                return pending.size() == 0;
            }
        } catch (HangarException e) {
            if ("LogTooLarge".equals(e.code())) {
                command.err().println("Note: " + e.getMessage());
                logRefused = true;
                return false;
            }
            if ("LocalRunEnded".equals(e.code())) {
                canceled = true;
                return true;
            }
            // Not reached now (the connection): sent again at the next tick.
            return e.kind() != HangarException.Kind.CONNECTION && e.status() < 500;
        }
    }

    private void sendOutputs(LocalWorkFolder work) {
        try {
            var archive = work.packOutputs();
            if (archive.isPresent()) {
                try {
                    report(() -> reports.outputs(archive.get()));
                } finally {
                    Files.deleteIfExists(archive.get());
                }
            }
        } catch (CliException | IOException e) {
            command.err().println("Note: " + e.getMessage());
        }
    }

    /** A report whose refusal the user is told about; null then. */
    private <T> T report(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (HangarException e) {
            command.err().println("Note: " + e.getMessage());
            return null;
        }
    }

    /** Ctrl-C (or the CLI being ended): the command's processes end, and the job is recorded Canceled. */
    private void interrupt(Process process) {
        interrupted = true;
        ProcessTree.end(process.toHandle());
        try {
            reported.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int exitCode(String status, Integer exit) {
        return switch (status) {
            case "Completed" -> ExitCodes.OK;
            case "Canceled" -> CANCELED;
            default -> exit == null || exit <= 0 || exit > 255 ? ExitCodes.FAILED : exit;
        };
    }

    private static void join(Thread thread) {
        try {
            thread.join(TICK.toMillis() * 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(TICK.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reporting", e);
        }
    }
}

package dev.hangar.bench;

import dev.hangar.client.SlurmSpec;
import dev.hangar.client.VirtualMachineSpec;
import dev.hangar.testkit.ssh.SshHost;
import dev.hangar.testkit.ssh.SshMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Jobs on an attached {@code VirtualMachine}: a throw-away account behind a real sshd on 127.0.0.1 (the testkit's
 * {@link SshMachine}), attached with its key, on the server's shipped settings (the engine looked at once a second).
 * Side by side with the same commands run by OpenSSH's {@code ssh} in a loop, a new connection each, as a script
 * without Hangar would:
 * <ul>
 *   <li><b>submit → Running</b>: trivial jobs one at a time, from just before the {@code PUT} to the {@code startTime}
 *   the server records; against one {@code ssh ... true} round trip;</li>
 *   <li><b>throughput</b>: {@code count} jobs {@code echo $HANGAR_JOB_NAME} submitted by
 *   {@value JobBench#SUBMITTERS} clients, from the first {@code PUT} to the last recorded end (the machine runs one
 *   job per CPU); against {@code count} {@code ssh ... echo} one after another.</li>
 * </ul>
 */
final class VmBench {
    static final String COMPUTE = "bench-vm";
    static final int LATENCY_JOBS = 20;
    /** The bound on Hangar's overhead against plain ssh. */
    static final double OVERHEAD = 1.2;
    /** The engine poll interval of the second server, against the shipped one second. */
    static final String FAST_POLL = "PT0.2S";

    private final Consumer<String> progress;

    /**
     * @param submitToRunning from sending the PUT to the recorded Running, one job at a time
     * @param fastPoll        the same on a server that looks at its engines every {@value #FAST_POLL}
     * @param wall            from the first PUT of the throughput run to the last recorded end
     * @param completed       of its jobs, those that completed with their name in their log
     * @param ssh             one {@code ssh ... true} round trip each
     * @param sshWall         {@code jobs} {@code ssh ... echo} one after another
     * @param cpus            the machine's CPUs: its queue's places
     * @param skipped         why nothing was measured, or null
     */
    record Result(Samples submitToRunning, Samples fastPoll, int jobs, Duration wall, int completed, Samples ssh,
                  Duration sshWall, int cpus, String skipped) {
        double perSecond() {
            return jobs / (wall.toNanos() / 1e9);
        }

        double sshPerSecond() {
            return jobs / (sshWall.toNanos() / 1e9);
        }
    }

    VmBench(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * Attaches one machine to a server that looks at its engines every {@value #FAST_POLL}, for one latency figure,
     * then to a server on the shipped settings, for the others: one server at a time, since each pins a thread of
     * the JVM's virtual-thread scheduler reading its output, and this machine may have only two.
     */
    Result run(int count) {
        if (!SshHost.installed()) {
            return new Result(null, null, count, Duration.ZERO, 0, null, Duration.ZERO, 0, "sshd is not installed ("
                    + SshHost.INSTALL_HINT + ").");
        }
        try (var vm = SshMachine.start("hgr-bench-")) {
            Samples fastPoll;
            progress.accept("vm: starting a Hangar server that looks at its engines every " + FAST_POLL);
            try (var fast = BenchServer.start(Map.of("HANGAR_RECONCILE_ENGINE_POLL_INTERVAL", FAST_POLL))) {
                fastPoll = attached(fast, vm, () -> latencies(fast));
            }
            progress.accept("vm: starting a Hangar server on the shipped settings");
            try (var server = BenchServer.start()) {
                return measure(server, vm, count, fastPoll);
            }
        }
    }

    private Result measure(BenchServer server, SshMachine vm, int count, Samples fastPoll) {
        var computes = server.computes();
        attach(server, vm);
        try {
            var cpus = computes.get(COMPUTE).properties().properties()
                    instanceof dev.hangar.api.VirtualMachineProperties properties && properties.cpus() != null
                    ? properties.cpus() : 0;
            var latencies = latencies(server);
            var throughput = throughput(server, count);
            var ssh = new Ssh(vm);
            progress.accept("vm: " + LATENCY_JOBS + " ssh ... true, then " + count + " ssh ... echo, one after"
                    + " another");
            var sshLatencies = new long[LATENCY_JOBS];
            for (int i = 0; i < sshLatencies.length; i++) {
                var begin = System.nanoTime();
                ssh.run("true");
                sshLatencies[i] = System.nanoTime() - begin;
            }
            var begin = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ssh.run("echo " + name(i));
            }
            var sshWall = Duration.ofNanos(System.nanoTime() - begin);
            return new Result(latencies, fastPoll, count, throughput.wall(), throughput.completed(),
                    Samples.of(sshLatencies), sshWall, cpus, null);
        } finally {
            computes.detach(COMPUTE).waitForCompletion(Duration.ofMinutes(1));
        }
    }

    private static void attach(BenchServer on, SshMachine vm) {
        on.computes().attachVirtualMachine(COMPUTE, VirtualMachineSpec.of("127.0.0.1", SlurmSpec.Account.privateKey(
                vm.username(), vm.key().privateKey())).withSshPort(vm.port()).withHostKey(vm.hostKey()))
                .waitForCompletion(Duration.ofMinutes(1));
    }

    /** What {@code measure} gives with the machine attached to {@code on}, detached after. */
    private static <T> T attached(BenchServer on, SshMachine vm, java.util.function.Supplier<T> measure) {
        attach(on, vm);
        try {
            return measure.get();
        } finally {
            on.computes().detach(COMPUTE).waitForCompletion(Duration.ofMinutes(1));
        }
    }

    private Samples latencies(BenchServer on) {
        var jobs = on.client().jobs(on.workspace());
        progress.accept("vm: " + LATENCY_JOBS + " trivial jobs one at a time onto the attached machine");
        var latencies = new long[LATENCY_JOBS];
        for (int i = 0; i < latencies.length; i++) {
            var name = "vm-latency-" + i;
            var sent = Instant.now();
            jobs.submit(name, JobBench.properties("true", COMPUTE));
            latencies[i] = Duration.between(sent, JobBench.awaitEnd(jobs, name).properties().startTime()).toNanos();
        }
        return Samples.of(latencies);
    }

    private record Throughput(Duration wall, int completed) {
    }

    private Throughput throughput(BenchServer server, int count) {
        var jobs = server.client().jobs(server.workspace());
        progress.accept("vm: " + count + " trivial jobs onto the attached machine from " + JobBench.SUBMITTERS
                + " clients at once");
        var names = IntStream.range(0, count).mapToObj(VmBench::name).toList();
        var first = Instant.now();
        JobBench.inParallel(names.size(), i -> jobs.submit(names.get(i), JobBench.properties("echo $HANGAR_JOB_NAME",
                COMPUTE)));
        JobBench.awaitAll(jobs, names);
        var last = Instant.MIN;
        var completed = 0;
        for (var name : names) {
            var job = jobs.get(name);
            last = job.properties().endTime() != null && job.properties().endTime().isAfter(last)
                    ? job.properties().endTime() : last;
            var log = jobs.logs(name, 0).text();
            if ("Completed".equals(job.properties().status()) && log.equals(name + "\n")) {
                completed++;
            } else if (names.indexOf(name) - completed < 5) {
                progress.accept("vm: " + name + " is " + job.properties().status() + " (" + job.properties().error()
                        + "), logged '" + log + "'");
            }
        }
        var wall = Duration.between(first, last);
        progress.accept(String.format(Locale.ROOT, "vm: %d jobs in %.2f s, %d completed", count,
                wall.toNanos() / 1e9, completed));
        return new Throughput(wall, completed);
    }

    private static String name(int i) {
        return String.format("vm-burst-%04d", i);
    }

    /** OpenSSH's client to the machine: its key and host key in files of the machine's folder, nothing else read. */
    private static final class Ssh {
        private final List<String> command;

        Ssh(SshMachine vm) {
            var key = vm.folder().resolve("bench_key");
            var knownHosts = vm.folder().resolve("bench_known_hosts");
            try {
                Files.writeString(key, vm.key().privateKey());
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(knownHosts, "[127.0.0.1]:" + vm.port() + " " + vm.hostKey() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            command = List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "IdentitiesOnly=yes", "-i", key.toString(),
                    "-p", Integer.toString(vm.port()), vm.username() + "@127.0.0.1");
        }

        void run(String remote) {
            var line = new ArrayList<>(command);
            line.add(remote);
            try {
                var process = new ProcessBuilder(line).redirectErrorStream(true).start();
                var said = new String(process.getInputStream().readAllBytes());
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("ssh " + remote + " failed: " + said);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The report's rows. */
    static List<Row> rows(Result result) {
        var title = "jobs on an attached VirtualMachine over SSH: ";
        if (result.skipped() != null) {
            return List.of(Row.info(title + "all", "not measured: " + result.skipped()));
        }
        var hangar = result.submitToRunning().percentile(50);
        var ssh = result.ssh().percentile(50);
        return List.of(
                Row.info(title + "submit → Running, p50 (p95)", String.format(Locale.ROOT, "%d ms (%d ms)",
                        hangar.toMillis(), result.submitToRunning().percentile(95).toMillis())),
                Row.info(title + "submit → Running, p50 (p95), engine looked at every " + Duration.parse(FAST_POLL)
                        .toMillis() + " ms", String.format(Locale.ROOT, "%d ms (%d ms)",
                        result.fastPoll().percentile(50).toMillis(), result.fastPoll().percentile(95).toMillis())),
                Row.info(title + "ssh ... true round trip, p50 (p95)", String.format(Locale.ROOT, "%d ms (%d ms)",
                        ssh.toMillis(), result.ssh().percentile(95).toMillis())),
                new Row(title + "submit → Running against ssh, p50", String.format(Locale.ROOT, "%.2f×",
                        hangar.toNanos() / (double) ssh.toNanos()), "≤ " + OVERHEAD + "×",
                        Row.Verdict.of(hangar.toNanos() <= OVERHEAD * ssh.toNanos())),
                Row.info(title + result.jobs() + " jobs, throughput (" + result.cpus() + " CPUs)",
                        String.format(Locale.ROOT, "%,.1f jobs/s (%.2f s, %d completed)", result.perSecond(),
                                result.wall().toNanos() / 1e9, result.completed())),
                new Row(title + "the same commands by ssh in a loop", String.format(Locale.ROOT,
                        "%,.1f commands/s (%.2f s)", result.sshPerSecond(), result.sshWall().toNanos() / 1e9),
                        "Hangar ≥ ssh / " + OVERHEAD, Row.Verdict.of(result.perSecond() * OVERHEAD
                        >= result.sshPerSecond())));
    }
}

package dev.hangar.bench;

import dev.hangar.api.JobResource;
import dev.hangar.api.VirtualMachineSize;
import dev.hangar.client.InstanceSpec;
import dev.hangar.client.JobClient;
import dev.hangar.client.SlurmSpec;
import dev.hangar.testkit.slurm.SlurmCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Times Hangar's job queue on the host-process backend, on one running instance:
 * <ul>
 *   <li><b>submit → Running</b>: trivial jobs one at a time, from just before the {@code PUT} is sent to the
 *   {@code startTime} the server records when the job's process runs (client and server share the machine's clock);</li>
 *   <li><b>throughput</b>: {@code count} trivial jobs submitted by concurrent clients, from the first {@code PUT} to
 *   the last job's recorded end; then every job is checked: Completed, its whole history recorded, its log kept.</li>
 * </ul>
 * The instance is of a size the bench adds to the catalog, {@value #SIZE} with {@value #VCPUS} vCPUs, so that the
 * queue rather than the instance's cores is what is timed.
 */
final class JobBench {
    static final String SIZE = "Bench_Jobs_32";
    static final int VCPUS = 32;
    static final String INSTANCE = "bench-jobs";
    static final int LATENCY_JOBS = 100;
    static final int SUBMITTERS = 16;
    private static final List<String> PATH = List.of("Queued", "Starting", "Running", "Finalizing", "Completed");

    /**
     * @param submitToRunning from sending the PUT to the recorded Running, one job at a time
     * @param jobs            jobs in the throughput run
     * @param wall            from the first PUT to the last recorded end
     * @param recorded        jobs that completed with their whole history and their log
     */
    record Result(Samples submitToRunning, int jobs, Duration wall, int recorded, Duration rawWall,
                  Duration forkWall, Slurm slurm) {
        double perSecond() {
            return jobs / (wall.toNanos() / 1e9);
        }

        /** The same commands spawned straight from a JVM, per second: what the machine allows without a queue. */
        double rawPerSecond() {
            return jobs / (rawWall.toNanos() / 1e9);
        }

        /**
         * Processes forked per second by bash alone, one bash per core: the ceiling of any queue that runs each job
         * in a process of its own, on this machine.
         */
        double forksPerSecond() {
            return jobs / (forkWall.toNanos() / 1e9);
        }
    }

    /**
     * The same number of {@code sbatch --wrap true} through a local Slurm, then the same jobs through Hangar onto that
     * Slurm attached as a compute, or why it did not run.
     *
     * @param wall            from the first sbatch to an empty queue
     * @param completed       jobs Slurm's completion log says COMPLETED
     * @param attachedWall    from the first PUT to Hangar to the last job's recorded end, on the attached Slurm
     * @param attachedRecorded jobs on the attached Slurm that completed with their whole history and their log
     * @param attachedSubmitToRunning from sending the PUT to the recorded Running on the attached Slurm, one at a time
     */
    record Slurm(int jobs, Duration wall, int completed, Duration attachedWall, int attachedRecorded,
                 Samples attachedSubmitToRunning, String skipped) {
        double perSecond() {
            return jobs / (wall.toNanos() / 1e9);
        }

        double attachedPerSecond() {
            return jobs / (attachedWall.toNanos() / 1e9);
        }
    }

    /** Jobs one at a time onto the attached Slurm, for its submit → Running. */
    static final int SLURM_LATENCY_JOBS = 20;
    static final String SLURM = "bench-slurm";
    private static final List<String> SLURM_PATH = List.of("Queued", "Queued", "Starting", "Running", "Finalizing",
            "Completed");


    private final BenchServer server;
    private final Consumer<String> progress;

    JobBench(BenchServer server, Consumer<String> progress) {
        this.server = server;
        this.progress = progress;
    }

    Result run(int latencyJobs, int throughputJobs) {
        server.client().putVmSize(new VirtualMachineSize(SIZE, "benchJobsFamily", VCPUS, 0, 0, 0, 64.0, false, false,
                null, List.of("ComputeInstance")));
        server.computes().createInstance(INSTANCE, InstanceSpec.of(SIZE).withDescription("hangar-bench jobs"))
                .waitForCompletion(Duration.ofMinutes(3));
        var jobs = server.client().jobs(server.workspace());
        progress.accept("jobs: " + latencyJobs + " trivial jobs one at a time");
        var latencies = new long[latencyJobs];
        for (int i = 0; i < latencyJobs; i++) {
            var name = "latency-" + i;
            var sent = Instant.now();
            jobs.submit(name, properties("true"));
            var ended = awaitEnd(jobs, name);
            latencies[i] = Duration.between(sent, ended.properties().startTime()).toNanos();
        }
        progress.accept("jobs: " + throughputJobs + " trivial jobs from " + SUBMITTERS + " clients at once");
        var names = IntStream.range(0, throughputJobs).mapToObj(i -> String.format("burst-%04d", i)).toList();
        var first = Instant.now();
        inParallel(names.size(), i -> jobs.submit(names.get(i), properties("echo $HANGAR_JOB_NAME")));
        // Watching the queue drain costs the server little: the list, once a second; the wall ends at the recorded end.
        awaitAll(jobs, names);
        var last = Instant.MIN;
        var problems = new ConcurrentLinkedQueue<String>();
        var recorded = new AtomicInteger();
        var ends = new ConcurrentLinkedQueue<Instant>();
        inParallel(names.size(), i -> {
            var job = jobs.get(names.get(i));
            ends.add(job.properties().endTime());
            var problem = check(jobs, job, PATH);
            if (problem == null) {
                recorded.incrementAndGet();
            } else {
                problems.add(problem);
            }
        });
        for (var end : ends) {
            last = end.isAfter(last) ? end : last;
        }
        problems.stream().limit(5).forEach(problem -> progress.accept("jobs: " + problem));
        var wall = Duration.between(first, last);
        progress.accept(String.format("jobs: %d in %.2f s, %d recorded whole", names.size(), wall.toNanos() / 1e9,
                recorded.get()));
        progress.accept("jobs: the same " + names.size() + " commands spawned straight, " + SUBMITTERS + " at a time");
        var raw = rawSpawns(names);
        progress.accept("jobs: " + names.size() + " subshells forked by bash, one bash per core");
        var forks = forks(names.size());
        return new Result(Samples.of(latencies), names.size(), wall, recorded.get(), raw, forks,
                slurm(names.size()));
    }

    /**
     * {@code count} trivial jobs through a real single-node Slurm (Debian's, started for the bench in a folder of its
     * own and ended after), submitted by {@value #SUBMITTERS} {@code sbatch} at a time as the Hangar jobs were.
     */
    private Slurm slurm(int count) {
        if (!SlurmCluster.installed()) {
            return new Slurm(count, Duration.ZERO, 0, Duration.ZERO, 0, null, "Slurm is not installed ("
                    + SlurmCluster.INSTALL_HINT + ").");
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("hangar-bench-slurm-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept("jobs: " + count + " sbatch --wrap true through a local Slurm, " + SUBMITTERS + " at a time");
        try (var cluster = SlurmCluster.start(directory)) {
            var begin = System.nanoTime();
            inParallel(count, i -> cluster.slurm("sbatch", "-Q", "-o", "/dev/null", "-J", "bench-" + i, "--wrap",
                    "true").requireSuccess());
            while (!cluster.slurm("squeue", "-h").requireSuccess().output().isBlank()) {
                Thread.sleep(100);
            }
            var wall = Duration.ofNanos(System.nanoTime() - begin);
            var completed = (int) cluster.slurm("sacct", "-c", "-n", "-P", "--format=State").requireSuccess()
                    .output().lines().filter(line -> line.strip().equals("COMPLETED")).count();
            progress.accept(String.format("jobs: Slurm ran %d in %.2f s, %d completed", count, wall.toNanos() / 1e9,
                    completed));
            return throughHangar(cluster, directory, count, wall, completed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            BenchServer.deleteTree(directory);
        }
    }

    /**
     * The same Slurm attached to Hangar: {@value #SLURM_LATENCY_JOBS} jobs one at a time (submit → Running), then
     * {@code count} jobs from {@value #SUBMITTERS} clients at once, each checked as on an instance.
     */
    private Slurm throughHangar(SlurmCluster cluster, Path directory, int count, Duration wall, int completed) {
        var computes = server.computes();
        computes.attachSlurm(SLURM, SlurmSpec.local().withSlurmConf(cluster.conf().toString())
                .withWorkDirectory(directory.resolve("jobs").toString())).waitForCompletion(Duration.ofMinutes(1));
        try {
            var jobs = server.client().jobs(server.workspace());
            progress.accept("jobs: " + SLURM_LATENCY_JOBS + " trivial jobs one at a time onto the attached Slurm");
            var latencies = new long[SLURM_LATENCY_JOBS];
            for (int i = 0; i < latencies.length; i++) {
                var name = "slurm-latency-" + i;
                var sent = Instant.now();
                jobs.submit(name, properties("true", SLURM));
                latencies[i] = Duration.between(sent, awaitEnd(jobs, name).properties().startTime()).toNanos();
            }
            progress.accept("jobs: " + count + " trivial jobs onto the attached Slurm from " + SUBMITTERS
                    + " clients at once");
            var names = IntStream.range(0, count).mapToObj(i -> String.format("slurm-burst-%04d", i)).toList();
            var first = Instant.now();
            inParallel(names.size(), i -> jobs.submit(names.get(i), properties("echo $HANGAR_JOB_NAME", SLURM)));
            awaitAll(jobs, names);
            var last = Instant.MIN;
            var recorded = 0;
            for (var name : names) {
                var job = jobs.get(name);
                last = job.properties().endTime().isAfter(last) ? job.properties().endTime() : last;
                var problem = check(jobs, job, SLURM_PATH);
                if (problem == null) {
                    recorded++;
                } else if (count - recorded < 5) {
                    progress.accept("jobs: " + problem);
                }
            }
            var attached = Duration.between(first, last);
            progress.accept(String.format("jobs: %d through Hangar onto Slurm in %.2f s, %d recorded whole", count,
                    attached.toNanos() / 1e9, recorded));
            computes.detach(SLURM).waitForCompletion(Duration.ofMinutes(1));
            return new Slurm(count, wall, completed, attached, recorded, Samples.of(latencies), null);
        } catch (RuntimeException e) {
            try {
                computes.detach(SLURM).waitForCompletion(Duration.ofMinutes(1));
            } catch (RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
    }

    /** One task of {@link #inParallel}: the {@code i}th of its count. */
    @FunctionalInterface
    interface Task {
        void run(int i) throws Exception;
    }

    /** Runs tasks 0 to {@code count - 1}, {@value #SUBMITTERS} at a time; the first failure fails the bench. */
    static void inParallel(int count, Task task) {
        var next = new AtomicInteger();
        var workers = new ArrayList<java.util.concurrent.Future<?>>();
        try (var pool = Executors.newFixedThreadPool(SUBMITTERS)) {
            for (int t = 0; t < SUBMITTERS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
        }
        for (var worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("A bench task failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The baseline: each job's command run by bash straight from this JVM, {@value #SUBMITTERS} at a time, its output
     * read; no queue, no record, no log. Process creation is most of a trivial job's cost, and machines differ in it.
     */
    private static Duration rawSpawns(List<String> names) {
        var begin = System.nanoTime();
        inParallel(names.size(), i -> {
            var process = new ProcessBuilder("/bin/bash", "-c", "echo " + names.get(i)).redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            process.waitFor();
        });
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /**
     * The machine's own ceiling for a process per job: {@code count} subshells {@code ( : )} forked by bash, no
     * {@code exec}, no JVM, one bash per core, each forking its share.
     */
    private static Duration forks(int count) {
        var cores = Runtime.getRuntime().availableProcessors();
        var begin = System.nanoTime();
        inParallel(cores, i -> {
            var share = count / cores + (i < count % cores ? 1 : 0);
            var process = new ProcessBuilder("/bin/bash", "-c", "for ((i = 0; i < $1; i++)); do ( : ); done",
                    "bench-forks", Integer.toString(share)).redirectErrorStream(true).start();
            var said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("bash could not fork " + share + " subshells: " + said);
            }
        });
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** Null when the job completed with its whole history and its output in its log, else what is wrong. */
    private static String check(JobClient jobs, JobResource job, List<String> expectedPath) {
        if (!"Completed".equals(job.properties().status())) {
            return job.name() + " is " + job.properties().status() + ": " + job.properties().error();
        }
        var path = new ArrayList<String>();
        jobs.history(job.name()).forEach(line -> path.add(line.to()));
        if (!path.equals(expectedPath)) {
            return job.name() + " went " + path;
        }
        var log = jobs.logs(job.name(), 0).text();
        return log.equals(job.name() + "\n") ? null : job.name() + " logged '" + log + "'";
    }

    static void awaitAll(JobClient jobs, List<String> names) {
        var wanted = new java.util.HashSet<>(names);
        var deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            var ended = jobs.list().stream().filter(job -> wanted.contains(job.name())
                    && JobClient.TERMINAL.contains(job.properties().status())).count();
            if (ended == wanted.size()) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("The jobs did not all end within 10 minutes");
    }

    static JobResource awaitEnd(JobClient jobs, String name) {
        var deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            var job = jobs.get(name);
            if (JobClient.TERMINAL.contains(job.properties().status())) {
                return job;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Job " + name + " did not end within 5 minutes");
    }

    private static JobResource.Properties properties(String command) {
        return properties(command, INSTANCE);
    }

    static JobResource.Properties properties(String command, String compute) {
        return new JobResource.Properties("Command", null, null, command, compute, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }
}

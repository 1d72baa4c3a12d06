package dev.hangar.bench;

import dev.hangar.api.JobResource;
import dev.hangar.client.ClusterSpec;
import dev.hangar.client.JobClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Times a compute cluster of the host-process backend scaling on the shipped defaults (the scaler looks every
 * second):
 * <ul>
 *   <li><b>scale up</b>: {@value #NODES} jobs {@code sleep} submitted at once to an empty cluster of at most
 *   {@value #NODES} nodes, from the first {@code PUT} until every job has its node and runs;</li>
 *   <li><b>scale down</b>: once the jobs ended, how long past the idle time ({@value #IDLE_SECONDS} s) the last
 *   node takes to go;</li>
 *   <li><b>throughput</b>: {@value #QUEUED} trivial jobs through the {@value #NODES} nodes, one job per node at a
 *   time, from the first {@code PUT} to the last recorded end.</li>
 * </ul>
 * The most nodes seen at any look is kept, to check the cluster never went past its maximum.
 */
final class ClusterBench {
    static final String CLUSTER = "bench-cluster";
    static final String SIZE = "Standard_DS1_v2";
    static final int NODES = 8;
    static final int IDLE_SECONDS = 2;
    static final int QUEUED = 200;

    /**
     * @param scaleUp    from the first PUT until all {@value #NODES} jobs ran, each on a node
     * @param scaleDown  from the idle time's end until the cluster had no node
     * @param mostNodes  the most nodes any look saw
     * @param throughput {@value #QUEUED} trivial jobs, first PUT to last recorded end
     */
    record Result(Duration scaleUp, Duration scaleDown, int mostNodes, Duration throughput, int completed) {
        double perSecond() {
            return QUEUED / (throughput.toNanos() / 1e9);
        }
    }

    private final BenchServer server;
    private final Consumer<String> progress;
    private int mostNodes;

    ClusterBench(BenchServer server, Consumer<String> progress) {
        this.server = server;
        this.progress = progress;
    }

    Result run() throws InterruptedException {
        var computes = server.computes();
        computes.createCluster(CLUSTER, ClusterSpec.of(SIZE).withMaxNodes(NODES)
                        .withIdleTimeBeforeScaleDown(Duration.ofSeconds(IDLE_SECONDS)))
                .waitForCompletion(Duration.ofMinutes(1));
        var jobs = server.client().jobs(server.workspace());

        progress.accept("clusters: " + NODES + " jobs at once on an empty cluster of at most " + NODES + " nodes");
        var sleepers = IntStream.range(0, NODES).mapToObj(i -> "scale-" + i).toList();
        var first = Instant.now();
        for (var name : sleepers) {
            jobs.submit(name, properties("sleep 3"));
        }
        await(() -> {
            look();
            return sleepers.stream().allMatch(name -> jobs.get(name).properties().startTime() != null);
        });
        var latest = sleepers.stream().map(name -> jobs.get(name).properties().startTime())
                .max(Instant::compareTo).orElseThrow();
        var scaleUp = Duration.between(first, latest);
        progress.accept(String.format("clusters: all %d running after %.2f s", NODES, scaleUp.toNanos() / 1e9));

        await(() -> sleepers.stream().allMatch(name -> JobClient.TERMINAL.contains(jobs.get(name).properties()
                .status())));
        var lastEnd = sleepers.stream().map(name -> jobs.get(name).properties().endTime()).max(Instant::compareTo)
                .orElseThrow();
        await(() -> {
            look();
            return computes.listNodes(CLUSTER).isEmpty();
        });
        var scaleDown = Duration.between(lastEnd.plusSeconds(IDLE_SECONDS), Instant.now());
        progress.accept(String.format("clusters: empty %.2f s after the idle time", scaleDown.toNanos() / 1e9));

        progress.accept("clusters: " + QUEUED + " trivial jobs through " + NODES + " nodes");
        var names = IntStream.range(0, QUEUED).mapToObj(i -> String.format("through-%03d", i)).toList();
        var begin = Instant.now();
        for (var name : names) {
            jobs.submit(name, properties("true"));
        }
        await(() -> {
            look();
            return jobs.list().stream().filter(job -> job.name().startsWith("through-")
                    && JobClient.TERMINAL.contains(job.properties().status())).count() == QUEUED;
        });
        var ends = new ArrayList<Instant>();
        var completed = 0;
        for (var name : names) {
            var job = jobs.get(name);
            ends.add(job.properties().endTime());
            completed += "Completed".equals(job.properties().status()) ? 1 : 0;
        }
        var throughput = Duration.between(begin, ends.stream().max(Instant::compareTo).orElseThrow());
        progress.accept(String.format("clusters: %d jobs in %.2f s, %d completed", QUEUED,
                throughput.toNanos() / 1e9, completed));
        return new Result(scaleUp, scaleDown, mostNodes, throughput, completed);
    }

    /** Notes how many nodes the cluster has now. */
    private void look() {
        mostNodes = Math.max(mostNodes, server.computes().listNodes(CLUSTER).size());
    }

    @FunctionalInterface
    private interface Check {
        boolean done();
    }

    private static boolean await(Check check) throws InterruptedException {
        var deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.done()) {
                return true;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("The cluster bench waited 5 minutes in vain");
    }

    private static JobResource.Properties properties(String command) {
        return new JobResource.Properties("Command", null, null, command, CLUSTER, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }
}

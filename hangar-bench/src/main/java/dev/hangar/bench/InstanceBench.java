package dev.hangar.bench;

import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.InstanceSpec;
import dev.hangar.client.LongRunningOperation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Times what a user waits for: create → first cell, and start → Running → first cell, one instance at a time. Each
 * clock starts just before the request is sent. The Java client waits for the operation as the CLI does
 * ({@link LongRunningOperation#waitForCompletion}: a long poll that the server answers when the operation ends), so
 * the figures are neither rounded up to the {@code Retry-After} of a second nor burdened by a client polling all the
 * while.
 *
 * <p>{@link #interleaved} runs the same sequence on several {@link InstanceSubject}s in lockstep (Hangar and the raw
 * engine baseline), so that whatever else the machine does at a moment weighs on both alike.
 */
final class InstanceBench implements InstanceSubject {
    static final String SIZE = "STANDARD_DS1_V2";
    private static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(3);

    private final BenchServer server;
    private final ComputeClient computes;
    private final FirstCell cell;
    private final Consumer<String> progress;

    InstanceBench(BenchServer server, Consumer<String> progress) {
        this.server = server;
        this.computes = server.computes();
        this.cell = FirstCell.throughGateway(server.token(), server.tls());
        this.progress = progress;
    }

    /**
     * One instance's path to its first cell, in nanoseconds from the first request: the request was accepted, the
     * instance was running (Hangar: the state {@code Running}; the raw engine: Jupyter answered), the kernel was up,
     * the cell answered.
     */
    record Timing(long accepted, long running, long kernel, long cell) {
    }

    /** What the instances went through: create, then (after a stop that is not timed) start. */
    record Results(List<Timing> creates, List<Timing> starts) {
        Samples creates(ToLongFunction<Timing> part) {
            return Samples.of(creates.stream().mapToLong(part).toArray());
        }

        Samples starts(ToLongFunction<Timing> part) {
            return Samples.of(starts.stream().mapToLong(part).toArray());
        }
    }

    /** Creates {@code count} instances one after another, stops them all, then starts them one after another. */
    Results run(int count) {
        return interleaved(count, List.of(this), progress).getFirst();
    }

    /**
     * Runs {@link #run}'s sequence on every subject in lockstep: instance 1 on each, instance 2 on each, ...; then each
     * stops all of its own; then starts go in lockstep too. Who goes first alternates from one instance to the next,
     * so that neither always finds one more instance of the other running. Returns the results in the subjects' order.
     */
    static List<Results> interleaved(int count, List<? extends InstanceSubject> subjects, Consumer<String> progress) {
        var names = new ArrayList<String>();
        var creates = subjects.stream().map(subject -> new ArrayList<Timing>()).toList();
        for (int i = 0; i < count; i++) {
            var name = name(i);
            names.add(name);
            for (int k : order(i, subjects.size())) {
                creates.get(k).add(subjects.get(k).create(name));
                progress.accept("created " + name + on(subjects, k) + " (" + seconds(creates.get(k).getLast().cell())
                        + " to first cell)");
            }
        }
        for (int k = 0; k < subjects.size(); k++) {
            subjects.get(k).stopAll(names);
            progress.accept("stopped " + names.size() + " instances" + on(subjects, k));
        }
        var starts = subjects.stream().map(subject -> new ArrayList<Timing>()).toList();
        for (int i = 0; i < count; i++) {
            for (int k : order(i, subjects.size())) {
                starts.get(k).add(subjects.get(k).start(names.get(i)));
                progress.accept("started " + names.get(i) + on(subjects, k) + " ("
                        + seconds(starts.get(k).getLast().running()) + " to running)");
            }
        }
        var results = new ArrayList<Results>();
        for (int k = 0; k < subjects.size(); k++) {
            results.add(new Results(List.copyOf(creates.get(k)), List.copyOf(starts.get(k))));
        }
        return List.copyOf(results);
    }

    /** The name of the {@code index}th instance (from 0): {@code bench-01}, ... */
    static String name(int index) {
        return String.format("bench-%02d", index + 1);
    }

    private static int[] order(int instance, int subjects) {
        var order = new int[subjects];
        for (int k = 0; k < subjects; k++) {
            order[k] = instance % 2 == 0 ? k : subjects - 1 - k;
        }
        return order;
    }

    private static String on(List<? extends InstanceSubject> subjects, int k) {
        return subjects.size() == 1 ? "" : " on " + subjects.get(k).what();
    }

    @Override
    public String what() {
        return "Hangar";
    }

    @Override
    public Timing create(String name) {
        var begin = System.nanoTime();
        var operation = computes.createInstance(name, InstanceSpec.of(SIZE).withDescription("hangar-bench"));
        var timing = timed(name, begin, operation);
        server.noteInstances();
        return timing;
    }

    @Override
    public Timing start(String name) {
        var begin = System.nanoTime();
        return timed(name, begin, computes.start(name));
    }

    /**
     * From an accepted create or start: waits for the operation (it succeeds in the transaction that records
     * {@code Running}; a failed one throws with its error), then runs the first cell.
     */
    private Timing timed(String name, long begin, LongRunningOperation operation) {
        var accepted = System.nanoTime();
        operation.waitForCompletion(OPERATION_TIMEOUT);
        var runningAt = System.nanoTime();
        var compute = computes.get(name);
        if (!"Running".equals(ComputeClient.stateOf(compute))) {
            throw new IllegalStateException("Compute " + name + " is " + ComputeClient.stateOf(compute)
                    + " after its operation succeeded: " + errors(compute));
        }
        var times = cell.run(jupyter(compute));
        return new Timing(accepted - begin, runningAt - begin, times.kernelStarted() - begin, times.answered() - begin);
    }

    @Override
    public void stopAll(List<String> names) {
        names.stream().map(computes::stop).toList()
                .forEach(operation -> operation.waitForCompletion(OPERATION_TIMEOUT));
    }

    /** The gateway URL of the instance's Jupyter, from its {@code applications}. */
    static URI jupyter(ComputeResource compute) {
        if (compute.properties().properties() instanceof ComputeInstanceProperties instance
                && instance.applications() != null) {
            for (var app : instance.applications()) {
                if ("Jupyter".equals(app.displayName()) && app.endpointUri() != null) {
                    return URI.create(app.endpointUri());
                }
            }
        }
        throw new IllegalStateException("Compute " + compute.name() + " is Running without a Jupyter endpoint: "
                + errors(compute));
    }

    private static Object errors(ComputeResource compute) {
        return compute.properties().properties() instanceof ComputeInstanceProperties instance
                ? instance.errors() : compute.properties();
    }

    static String seconds(long nanos) {
        return String.format("%.2f s", nanos / 1e9);
    }
}

package dev.hangar.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A load of GETs on one URL from {@code clients} virtual threads, each with its own HTTP/1.1 keep-alive connection
 * over TLS. Two shapes:
 * <ul>
 *   <li>closed loop ({@code rate} 0): each client sends the next request as soon as the previous answer is read, so
 *       the figures are the server's throughput at saturation and the latency it then has;</li>
 *   <li>paced: the clients together send {@code rate} requests a second on a fixed schedule, and a latency counts from
 *       when the request was due, not when it was sent, so a stalled server is not hidden by clients that waited for
 *       it (coordinated omission).</li>
 * </ul>
 * A warm-up (connections, TLS, JIT on both sides) precedes the measured window; every request due in the window
 * counts, and its latency runs to the answer's last byte.
 */
final class GetLoad {
    private final URI target;
    private final String token;
    private final SSLContext tls;

    GetLoad(URI target, String token, SSLContext tls) {
        this.target = target;
        this.token = token;
        this.tls = tls;
    }

    /**
     * What the window measured; {@code rate} is the pace asked for, 0 for a closed loop. {@code latencies} count from
     * when each request was due, {@code sendToAnswer} from when it actually went out (the same in a closed loop; in a
     * paced run a difference is time the request waited for its client, behind a slow answer or a late wake-up).
     */
    record Result(int clients, double rate, Duration window, long requests, long errors, String firstError,
                  Samples latencies, Samples sendToAnswer, Cpu cpu) {
        double requestsPerSecond() {
            return requests / (window.toNanos() / 1e9);
        }
    }

    /**
     * CPU used during the window, in cores (1.0 = one core busy all the time): by the server process, by this load
     * generator, by the whole machine (everything else running is the difference), and stolen by the hypervisor.
     */
    record Cpu(double server, double loadGenerator, double machine, double steal, int cores) {
        double others() {
            return machine - server - loadGenerator;
        }
    }

    private record Window(long start, long end) {
    }

    /** Errors of all clients, and the first one's text. */
    private record Tally(AtomicLong errors, AtomicReference<String> first) {
        void failed(String failure, boolean inWindow) {
            if (inWindow) {
                errors.incrementAndGet();
            }
            first.compareAndSet(null, failure);
        }
    }

    Result run(int clients, double rate, Duration warmup, Duration window, long serverPid) {
        var ready = new CountDownLatch(clients);
        var go = new CountDownLatch(1);
        var measured = new AtomicReference<Window>();
        var tally = new Tally(new AtomicLong(), new AtomicReference<>());
        var interval = rate > 0 ? Math.round(clients * 1e9 / rate) : 0;
        var recorders = new ArrayList<Samples.Recorder>();
        var sendRecorders = new ArrayList<Samples.Recorder>();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < clients; i++) {
            var recorder = new Samples.Recorder();
            var sendRecorder = new Samples.Recorder();
            var offset = interval * i / clients;
            recorders.add(recorder);
            sendRecorders.add(sendRecorder);
            threads.add(Thread.ofVirtual().name("get-" + i).start(() -> {
                try (var connection = new KeepAliveConnection(target, tls, "Bearer " + token)) {
                    ready.countDown();
                    await(go);
                    var begin = measured.get().start() - warmup.toNanos();
                    loop(connection, begin + offset, interval, measured.get(), recorder, sendRecorder, tally);
                }
            }));
        }
        await(ready);
        var server = ProcessHandle.of(serverPid);
        var self = ProcessHandle.of(ProcessHandle.current().pid());
        var start = System.nanoTime() + warmup.toNanos();
        measured.set(new Window(start, start + window.toNanos()));
        go.countDown();
        sleepUntil(start);
        var serverBefore = cpu(server);
        var selfBefore = cpu(self);
        var machineBefore = MachineCpu.now();
        sleepUntil(start + window.toNanos());
        var machine = MachineCpu.now();
        var cores = Runtime.getRuntime().availableProcessors();
        var cpu = new Cpu(cores(cpu(server) - serverBefore, window), cores(cpu(self) - selfBefore, window),
                machine.busyCoresSince(machineBefore, cores), machine.stealCoresSince(machineBefore, cores), cores);
        threads.forEach(GetLoad::join);
        var latencies = merged(recorders);
        return new Result(clients, rate, window, latencies.count(), tally.errors().get(), tally.first().get(),
                latencies, merged(sendRecorders), cpu);
    }

    /** One client: with an {@code interval}, request k is due at {@code first + k * interval}; else at once. */
    private static void loop(KeepAliveConnection connection, long first, long interval, Window window,
                             Samples.Recorder fromDue, Samples.Recorder fromSend, Tally tally) {
        var next = first;
        while (true) {
            long due;
            if (interval > 0) {
                due = next;
                next += interval;
                sleepUntil(due);
            } else {
                due = System.nanoTime();
            }
            if (due >= window.end()) {
                return;
            }
            String failure = null;
            var sent = System.nanoTime();
            try {
                var status = connection.get();
                if (status != 200) {
                    failure = "HTTP " + status;
                }
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
                connection.close();
            }
            var answered = System.nanoTime();
            if (failure != null) {
                tally.failed(failure, due >= window.start());
            } else if (due >= window.start()) {
                fromDue.add(answered - due);
                fromSend.add(answered - sent);
            }
        }
    }

    private static Samples merged(List<Samples.Recorder> recorders) {
        return Samples.of(recorders.stream().map(Samples.Recorder::values).flatMapToLong(Arrays::stream).toArray());
    }

    private static long cpu(Optional<ProcessHandle> process) {
        return process.flatMap(handle -> handle.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    private static double cores(long cpuNanos, Duration window) {
        return cpuNanos / (double) window.toNanos();
    }

    private static void sleepUntil(long nanoTime) {
        var left = nanoTime - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during the GET load", e);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the GET load", e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the GET load", e);
        }
    }
}

package dev.hangar.testkit.spark;

import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.time.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master (its REST submission server on or off) and one Worker, as
 * child JVMs of Spark's own jars ({@link SparkRuntime}), each started with the command Spark's launcher builds for it
 * (as {@code bin/spark-class} does), every port a free loopback one. The Worker runs each driver and executor in a JVM
 * of its own, from the same {@code SPARK_HOME}. {@link #close()} ends the Worker (which ends its drivers and executors)
 * and the Master, by the processes started here, and what they left running under them.
 */
public final class SparkCluster implements AutoCloseable {
    private static final Duration READY = Waits.DAEMON_START;

    private final SparkRuntime runtime;
    private final Path directory;
    private final boolean rest;
    private final int masterPort = Ports.freeLoopback();
    private final int restPort = Ports.freeLoopback();
    private final int masterUiPort = Ports.freeLoopback();
    private final int workerPort = Ports.freeLoopback();
    private final int workerUiPort = Ports.freeLoopback();
    private final List<Process> daemons = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SparkCluster(SparkRuntime runtime, Path directory, boolean rest) {
        this.runtime = runtime;
        this.directory = directory;
        this.rest = rest;
    }

    /**
     * Starts a Master with its REST submission server ({@code spark.master.rest.enabled}) and one Worker of
     * {@code cores} cores and 2 GiB, in {@code directory} (made when missing); waits until the worker is registered.
     */
    public static SparkCluster start(SparkRuntime runtime, Path directory, int cores) {
        return start(runtime, directory, cores, true);
    }

    /** As {@link #start(SparkRuntime, Path, int)}, with the REST submission server on or off. */
    public static SparkCluster start(SparkRuntime runtime, Path directory, int cores, boolean rest) {
        var cluster = new SparkCluster(runtime, directory, rest);
        try {
            Files.createDirectories(directory.resolve("logs"));
            Files.createDirectories(cluster.workDirectory());
            var properties = directory.resolve("master.conf");
            Files.writeString(properties, "spark.master.rest.enabled " + rest + "\nspark.master.rest.port "
                    + cluster.restPort + "\n");
            cluster.daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.masterPort), "--webui-port",
                    Integer.toString(cluster.masterUiPort), "--properties-file", properties.toString());
            cluster.await("the master answers", () -> cluster.masterJson().contains("\"status\" : \"ALIVE\""));
            cluster.daemon("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.workerPort), "--webui-port",
                    Integer.toString(cluster.workerUiPort), "--cores", Integer.toString(cores), "--memory", "2g",
                    "--work-dir", cluster.workDirectory().toString(), cluster.masterUrl());
            cluster.await("the worker is registered", () -> cluster.masterJson().contains("\"aliveworkers\" : 1"));
            if (rest) {
                cluster.await("the REST server answers", () -> cluster.get(cluster.restUrl()
                        + "/v1/submissions/status/none").contains("SubmissionStatusResponse"));
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** {@code spark://127.0.0.1:<port>}: where drivers and workers reach the master. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** {@code http://127.0.0.1:<port>}: the REST submission server (nothing listens there when it is off). */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    /** The master's web UI, whose {@code /json/} tells its state, workers and drivers. */
    public String masterUiUrl() {
        return "http://127.0.0.1:" + masterUiPort;
    }

    /** The worker's web UI, whose {@code /log/} serves a driver's stdout and stderr. */
    public String workerUiUrl() {
        return "http://127.0.0.1:" + workerUiPort;
    }

    /** Where the worker runs each driver, in a folder named by the driver's id. */
    public Path workDirectory() {
        return directory.resolve("work");
    }

    /** The Spark version the jars are of, e.g. {@code 4.0.1}. */
    public String version() {
        return runtime.version();
    }

    /** The master's {@code /json/}, or "" when it does not answer. */
    public String masterJson() {
        return get(masterUiUrl() + "/json/");
    }

    private String get(String url) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void daemon(String name, String mainClass, String... arguments) throws IOException {
        var command = runtime.command(mainClass, List.of(arguments));
        var builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(directory.resolve("logs/" + name + ".log").toFile());
        builder.environment().putAll(runtime.environment());
        daemons.add(builder.start());
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what + " (logs in " + directory.resolve("logs") + ")").atMost(READY)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                    if (daemons.stream().anyMatch(process -> !process.isAlive())) {
                        throw new IllegalStateException("A Spark daemon ended; see " + directory.resolve("logs"));
                    }
                    return condition.call();
                });
    }

    /** Ends the worker (with the drivers and executors it runs) and then the master, and all they left. */
    @Override
    public void close() {
        http.close();
        for (var daemon : daemons.reversed()) {
            var tree = new ArrayList<ProcessHandle>(daemon.descendants().toList());
            daemon.destroy();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !HostProcesses.isRunning(daemon.toHandle()));
            } catch (RuntimeException slow) {
                tree.add(daemon.toHandle());
            }
            tree.removeIf(process -> !HostProcesses.isRunning(process));
            if (!tree.isEmpty()) {
                HostProcesses.kill(tree, Duration.ofSeconds(20));
            }
        }
        daemons.clear();
    }

    /** The variables of the Spark daemons, for a caller that starts Spark's own programs beside them. */
    public Map<String, String> environment() {
        return runtime.environment();
    }
}

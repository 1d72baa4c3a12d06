package dev.hangar.backend.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineInfo;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineResult;
import dev.hangar.core.spi.engine.JobEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Spark standalone cluster as a job engine: each job is a driver submitted in cluster mode to the master's REST
 * submission server, its code unpacked in a folder of the shared work directory ({@code <workDirectory>/<tag>}), its
 * state read from {@code /v1/submissions/status}, ended by {@code /v1/submissions/kill}, and its log copied from the
 * web UI of the worker that runs it ({@link DriverLogs}). Spark reports no driver's exit status: a driver that
 * {@code FINISHED} exited 0, one that {@code FAILED} is recorded as 1. Drivers leave no outputs Hangar can reach (they
 * run in the worker's own folder). Thread-safe.
 */
final class SparkEngine implements JobEngine {
    /** The file of a job's folder that holds its driver's id, written once the master took it. */
    static final String DRIVER_ID = "driver-id";

    private final String name;
    private final SparkSettings settings;
    private final SparkRest rest;
    private final DriverLogs logs;
    /** Each worker's web UI, by worker id, as the master listed it. */
    private final Map<String, URI> workerUis = new ConcurrentHashMap<>();
    private volatile String version;

    SparkEngine(String name, SparkSettings settings) {
        this.name = name;
        this.settings = settings;
        this.rest = new SparkRest(settings);
        this.logs = new DriverLogs(rest);
    }

    @Override
    public EngineInfo check() {
        JsonNode master = null;
        EngineException uiFailure = null;
        try {
            master = rest.master();
        } catch (EngineException e) {
            uiFailure = e;
        }
        JsonNode status;
        try {
            status = rest.status("hangar-check");
        } catch (EngineException e) {
            if (master != null) {
                throw EngineException.fatal("SparkRestDisabled", "The master " + master.path("url").asText()
                        + " answers (web UI " + settings.webUiUrl() + "), but no REST submission server answers at "
                        + settings.restUrl() + ". Start the master with spark.master.rest.enabled=true (and"
                        + " spark.master.rest.port, 6066 by default), and give that port's URL as restUrl.");
            }
            throw EngineException.fatal("SparkMasterUnreachable", "Nothing answers for the Spark master "
                    + settings.masterUrl() + ": neither its REST submission server at " + settings.restUrl()
                    + " nor its web UI at " + settings.webUiUrl() + " (" + e.getMessage() + ").");
        }
        if (!"SubmissionStatusResponse".equals(status.path("action").asText())) {
            throw EngineException.fatal("SparkRestUnreachable", settings.restUrl() + " answers, but not as a Spark"
                    + " REST submission server.");
        }
        if (master == null) {
            throw EngineException.fatal("SparkMasterUnreachable", "The REST submission server answers, but the"
                    + " master's web UI does not at " + settings.webUiUrl() + " (" + uiFailure.getMessage()
                    + "): Hangar reads its workers and the drivers' logs through it. Give its URL as webUiUrl.");
        }
        if (!"ALIVE".equals(master.path("status").asText())) {
            throw EngineException.fatal("SparkMasterNotAlive", "The master " + master.path("url").asText() + " is "
                    + master.path("status").asText() + ", not ALIVE: attach the leading master.");
        }
        if (!Files.isDirectory(settings.workDirectory()) || !Files.isWritable(settings.workDirectory())) {
            throw EngineException.fatal("SparkWorkDirectoryUnusable", "workDirectory " + settings.workDirectory()
                    + " is not a folder Hangar can write on its host; it must be one the workers see at the same"
                    + " path (a shared filesystem).");
        }
        version = status.path("serverSparkVersion").asText(null);
        var alive = alive(master);
        return new EngineInfo("spark " + version, master.path("url").asText(settings.resource()), null,
                alive.size(), alive.stream().mapToInt(worker -> worker.path("cores").asInt()).max().orElse(0),
                null, false, Map.of());
    }

    @Override
    public boolean onHangarsHost() {
        // Hangar unpacks each job's code into workDirectory on its own host, as its own account.
        return true;
    }

    @Override
    public EngineJobRef submit(EngineJob job) {
        if (job.spark() == null) {
            throw EngineException.fatal("CommandJobsUnsupported", "'" + name + "' is a Spark cluster: it runs Spark"
                    + " jobs (jobType Spark), not commands.");
        }
        var folder = settings.workDirectory().resolve(job.tag());
        var code = folder.resolve("code");
        try {
            Files.createDirectories(code);
            if (job.code() != null) {
                try (var in = Files.newInputStream(job.code())) {
                    Tarballs.extract(in, code, Tarballs.CODE_LIMITS);
                }
            }
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkWorkDirectoryUnusable", "Cannot put the code of job "
                    + job.name() + " in " + code + ": " + e.getMessage(), e);
        }
        var answer = rest.create(SubmissionRequest.of(job, settings, code, sparkVersion()));
        var driverId = answer.path("submissionId").asText("");
        if (!answer.path("success").asBoolean() || driverId.isEmpty()) {
            throw EngineException.fatal("SparkSubmitFailed", "The master refused the driver: "
                    + answer.path("message").asText(answer.toString()));
        }
        try {
            Files.writeString(folder.resolve(DRIVER_ID), driverId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EngineJobRef(driverId, folder.toString(), null);
    }

    private String sparkVersion() {
        if (version == null) {
            version = rest.status("hangar-version").path("serverSparkVersion").asText(null);
        }
        return version;
    }

    @Override
    public Optional<EngineJobRef> find(String tag, String runAs) {
        var folder = settings.workDirectory().resolve(tag);
        try {
            var file = folder.resolve(DRIVER_ID);
            return Files.exists(file) ? Optional.of(new EngineJobRef(Files.readString(file).strip(),
                    folder.toString(), null)) : Optional.empty();
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkWorkDirectoryUnusable", "Cannot read " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, EngineJobState> states(Collection<EngineJobRef> jobs) {
        var states = new HashMap<String, EngineJobState>();
        for (var job : jobs) {
            var status = rest.status(job.engineId());
            if (status.path("success").asBoolean()) {
                states.put(job.engineId(), DriverStates.of(job.engineId(), status));
            }
        }
        return states;
    }

    @Override
    public void cancel(EngineJobRef job) {
        // A driver that ended already answers success false: not an error.
        rest.kill(job.engineId());
    }

    @Override
    public byte[] readLog(EngineJobRef job, long offset, int limit) {
        return logs.read(Path.of(job.folder()), job.engineId(), workerUi(job.engineId()), offset, limit);
    }

    /** The web UI of the worker that runs (or ran) the driver; null before one was given it. */
    private URI workerUi(String driverId) {
        var worker = rest.status(driverId).path("workerId").asText("");
        if (worker.isEmpty()) {
            return null;
        }
        var known = workerUis.get(worker);
        if (known != null) {
            return known;
        }
        for (var listed : rest.master().path("workers")) {
            workerUis.put(listed.path("id").asText(), URI.create(listed.path("webuiaddress").asText()));
        }
        return workerUis.get(worker);
    }

    @Override
    public EngineResult collect(EngineJobRef job, Path outputs) {
        var state = rest.status(job.engineId()).path("driverState").asText("");
        return new EngineResult(switch (state) {
            case "FINISHED" -> 0;
            case "FAILED" -> 1;
            default -> null;
        }, false);
    }

    @Override
    public void clean(EngineJobRef job) {
        var folder = Path.of(job.folder());
        if (!folder.startsWith(settings.workDirectory()) || !Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkWorkDirectoryUnusable", "Cannot remove " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<EngineNode> nodes() {
        var master = rest.master();
        var drivers = new HashMap<String, List<String>>();
        for (var driver : master.path("activedrivers")) {
            drivers.computeIfAbsent(driver.path("worker").asText(), worker -> new ArrayList<>())
                    .add(driver.path("id").asText());
        }
        var nodes = new ArrayList<EngineNode>();
        for (var worker : master.path("workers")) {
            var id = worker.path("id").asText();
            nodes.add(new EngineNode(id, DriverStates.node(worker), worker.path("state").asText().toLowerCase(
                    java.util.Locale.ROOT), worker.path("host").asText(null), worker.path("cores").asInt(),
                    drivers.getOrDefault(id, List.of())));
        }
        return nodes;
    }

    private static List<JsonNode> alive(JsonNode master) {
        var alive = new ArrayList<JsonNode>();
        master.path("workers").forEach(worker -> {
            if ("ALIVE".equals(worker.path("state").asText())) {
                alive.add(worker);
            }
        });
        return alive;
    }

    @Override
    public void close() {
        rest.close();
    }
}

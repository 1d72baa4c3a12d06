package dev.hangar.backend.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.SparkApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A job's {@code CreateSubmissionRequest} for the master's REST server, as {@code spark-submit --deploy-mode cluster}
 * sends it: the driver's resource and class (a Python file runs through Spark's {@code PythonRunner}), its arguments,
 * the job's variables (for the driver, and for executors as {@code spark.executorEnv.*}), and its Spark properties.
 * Every file is a {@code file:} URL into the job's code folder, which the workers see at the same path.
 */
final class SubmissionRequest {
    /** The class that runs a Python driver: {@code PythonRunner <file> <pyFiles> <args...>}. */
    static final String PYTHON_RUNNER = "org.apache.spark.deploy.PythonRunner";

    private SubmissionRequest() {
    }

    static JsonNode of(EngineJob job, SparkSettings settings, Path code, String sparkVersion) {
        var app = job.spark();
        var jars = urls(code, "jars", app.jars());
        var pyFiles = urls(code, "pyFiles", app.pyFiles());
        var body = SparkRest.JSON.createObjectNode();
        body.put("action", "CreateSubmissionRequest");
        body.put("clientSparkVersion", sparkVersion);
        var arguments = body.putArray("appArgs");
        if (app.python()) {
            var file = urls(code, "entry.file", List.of(app.pythonFile())).getFirst();
            body.put("appResource", file);
            body.put("mainClass", PYTHON_RUNNER);
            arguments.add(file);
            arguments.add(String.join(",", pyFiles));
        } else {
            if (app.mainClass() == null || app.mainClass().isBlank()) {
                throw EngineException.fatal("InvalidSparkEntry", "A Spark job's entry is a Python file or a class.");
            }
            if (jars.isEmpty()) {
                throw EngineException.fatal("SparkJarRequired", "Class " + app.mainClass() + " is the driver's entry,"
                        + " but the job names no jar (jars) to find it in.");
            }
            body.put("appResource", jars.getFirst());
            body.put("mainClass", app.mainClass());
        }
        app.arguments().forEach(arguments::add);
        var variables = body.putObject("environmentVariables");
        job.environment().forEach(variables::put);
        var properties = body.putObject("sparkProperties");
        properties.put("spark.master", settings.masterUrl().toString());
        properties.put("spark.app.name", job.name());
        properties.put("spark.submit.deployMode", "cluster");
        properties.put("spark.driver.supervise", "false");
        properties.put("spark.driver.cores", Integer.toString(job.cores()));
        put(properties, "spark.jars", jars);
        put(properties, "spark.submit.pyFiles", pyFiles);
        put(properties, "spark.files", urls(code, "files", app.files()));
        put(properties, "spark.archives", urls(code, "archives", app.archives()));
        job.environment().forEach((name, value) -> properties.put("spark.executorEnv." + name, value));
        // The job's own properties last: what it asks for wins over Hangar's defaults.
        app.conf().forEach(properties::put);
        return body;
    }

    private static void put(ObjectNode properties, String key, List<String> urls) {
        if (!urls.isEmpty()) {
            properties.put(key, String.join(",", urls));
        }
    }

    /** Each path of the job's code as a {@code file:} URL; a path outside the code or missing is the job's error. */
    private static List<String> urls(Path code, String field, List<String> paths) {
        var urls = new ArrayList<String>();
        for (var path : paths) {
            var file = code.resolve(path).normalize();
            if (path.isBlank() || !file.startsWith(code)) {
                throw EngineException.fatal("InvalidSparkPath", field + ": '" + path + "' is not a path inside the"
                        + " job's code.");
            }
            if (!Files.exists(file)) {
                throw EngineException.fatal("SparkFileNotFound", field + ": '" + path + "' is not in the job's code"
                        + " (it holds " + listing(code) + ").");
            }
            urls.add(file.toUri().toString());
        }
        return urls;
    }

    private static String listing(Path code) {
        try (var files = Files.walk(code, 3)) {
            var names = files.filter(Files::isRegularFile).map(file -> code.relativize(file).toString()).sorted()
                    .limit(20).collect(Collectors.joining(", "));
            return names.isEmpty() ? "no files" : names;
        } catch (java.io.IOException e) {
            return "files that cannot be listed";
        }
    }
}

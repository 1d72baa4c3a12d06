package dev.hangar.core.spi.engine;

import java.util.List;
import java.util.Map;

/**
 * A Spark application to run as a job (Azure's v2 Spark job), for an engine that runs them: its driver's entry, a JVM
 * class or a Python file, with its arguments, what it ships beside it, and its Spark properties. Every path is relative
 * to the job's code folder.
 *
 * @param mainClass  the driver's class (Azure's {@code SparkJobScalaEntry.className}), found in {@code jars}; or null
 * @param pythonFile the driver's Python file (Azure's {@code SparkJobPythonEntry.file}); or null. Exactly one is set
 * @param arguments  the driver's arguments
 * @param jars       jars on the driver's and executors' class path ({@code spark.jars})
 * @param pyFiles    Python files and archives on their {@code PYTHONPATH} ({@code spark.submit.pyFiles})
 * @param files      files placed in each executor's folder ({@code spark.files})
 * @param archives   archives unpacked there ({@code spark.archives})
 * @param conf       Spark properties ({@code spark.driver.*}, {@code spark.executor.*}, {@code spark.dynamicAllocation.*})
 */
public record SparkApplication(String mainClass, String pythonFile, List<String> arguments, List<String> jars,
                               List<String> pyFiles, List<String> files, List<String> archives,
                               Map<String, String> conf) {
    public SparkApplication {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        jars = jars == null ? List.of() : List.copyOf(jars);
        pyFiles = pyFiles == null ? List.of() : List.copyOf(pyFiles);
        files = files == null ? List.of() : List.copyOf(files);
        archives = archives == null ? List.of() : List.copyOf(archives);
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    /** Whether its driver is a Python file rather than a JVM class. */
    public boolean python() {
        return pythonFile != null;
    }
}

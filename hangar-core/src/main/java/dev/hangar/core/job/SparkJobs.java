package dev.hangar.core.job;

import dev.hangar.core.error.ApiException;
import java.util.Set;

/**
 * The rules of Spark jobs (Azure's v2 {@code jobType: Spark}) that hold before any compute is asked: one entry, a code
 * snapshot to find it in, and only where a Spark cluster runs them.
 */
final class SparkJobs {
    static final String COMMAND = "Command";
    static final String SPARK = "Spark";

    private SparkJobs() {
    }

    /** Refuses a Spark job without exactly one entry, or without the code its entry and files come from. */
    static void check(JobSpec spec) {
        var app = spec.spark();
        var file = app.pythonFile() != null && !app.pythonFile().isBlank();
        var className = app.mainClass() != null && !app.mainClass().isBlank();
        if (file == className) {
            throw ApiException.badRequest("InvalidSparkEntry", "A Spark job's entry is either a Python file"
                    + " (SparkJobPythonEntry with file) or a JVM class (SparkJobScalaEntry with className) in one of its"
                    + " jars.", "properties.entry");
        }
        if (className && app.jars().isEmpty()) {
            throw ApiException.badRequest("InvalidSparkEntry", "Class " + app.mainClass() + " is the entry, and the"
                    + " job names no jar to find it in: list the jar of the job's code in jars.", "properties.jars");
        }
        if (spec.codeDigest() == null) {
            throw ApiException.badRequest("CodeRequired", "A Spark job runs files of its code snapshot (its entry,"
                    + " jars and pyFiles): name it in codeId.", "properties.codeId");
        }
    }

    /**
     * Refuses a job of a type its compute does not run: a Spark job anywhere but on an attached Spark cluster, and a
     * command job there.
     *
     * @param runs the job types the compute runs
     * @param what the compute's kind, for the message ("a cluster", "an attached Slurm")
     */
    static void requireRuns(Set<String> runs, String jobType, String compute, String what) {
        if (runs.contains(jobType)) {
            return;
        }
        if (jobType.equals(SPARK)) {
            throw ApiException.badRequest("SparkComputeRequired", "Compute '" + compute + "' is " + what + ", which"
                    + " runs command jobs; a Spark job runs on an attached Spark cluster (computeType Spark).",
                    "properties.computeId");
        }
        throw ApiException.badRequest("JobTypeUnsupported", "Compute '" + compute + "' is " + what + ", which runs "
                + String.join(" and ", runs) + " jobs, not command jobs: submit the code as a Spark job (jobType"
                + " Spark, with its entry).", "properties.jobType");
    }
}

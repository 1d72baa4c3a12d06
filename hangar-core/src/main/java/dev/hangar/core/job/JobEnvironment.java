package dev.hangar.core.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables every job's command runs with, on every kind of compute: those it was submitted with, then the ones
 * Hangar sets, which win. One place, so that a job reads the same names on an instance, a cluster or an engine.
 */
public final class JobEnvironment {
    /** Azure ML's name of the run, which scripts read to label what they log. */
    public static final String RUN_ID = "AZUREML_RUN_ID";
    public static final String JOB_NAME = "HANGAR_JOB_NAME";
    /**
     * The job's id. Every process of a job Hangar runs on its instances and nodes inherits it, which is how what the
     * job left running is found and ended.
     */
    public static final String JOB_ID = "HANGAR_JOB_ID";

    private JobEnvironment() {
    }

    /** The job's variables, in a map the caller may add to. */
    public static Map<String, String> of(Job job) {
        var environment = new LinkedHashMap<>(job.environment());
        environment.put(RUN_ID, job.name());
        environment.put(JOB_NAME, job.name());
        environment.put(JOB_ID, job.id().toString());
        return environment;
    }
}

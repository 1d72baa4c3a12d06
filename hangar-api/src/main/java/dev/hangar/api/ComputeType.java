package dev.hangar.api;

import java.util.List;
import java.util.Optional;

/** The {@code computeType} names of the ARM schema, compared case-insensitively on input. */
public final class ComputeType {
    public static final String COMPUTE_INSTANCE = "ComputeInstance";
    public static final String AML_COMPUTE = "AmlCompute";

    /** Every name the ARM schema defines, in its canonical casing. */
    public static final List<String> ALL = List.of("AKS", "Kubernetes", "AmlCompute", "ComputeInstance",
            "DataFactory", "VirtualMachine", "HDInsight", "Databricks", "DataLakeAnalytics", "SynapseSpark");

    private ComputeType() {
    }

    /** The canonical casing of {@code name}, or empty when the schema does not define it. */
    public static Optional<String> canonical(String name) {
        return ALL.stream().filter(known -> known.equalsIgnoreCase(name)).findFirst();
    }
}

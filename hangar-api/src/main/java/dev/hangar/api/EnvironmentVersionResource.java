package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * An ARM environment version, {@code workspaces/{ws}/environments/{name}/versions/{version}}, in Azure Machine
 * Learning's shape: the container image a job runs in. Hangar runs images it is given; it does not build them, so a
 * version is an {@code image}, and {@code build} or {@code condaFile} alone are refused. {@code environmentType} is
 * {@code Curated} for Hangar's own, read-only environments, {@code UserCreated} for the rest, as Azure says it.
 */
public record EnvironmentVersionResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces/environments/versions";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(String image, String description, Map<String, String> tags, Boolean isAnonymous,
                             String osType, Object build, String condaFile, Instant creationTime, String createdBy,
                             String environmentType) {
        /** What a client sends: {@code environmentType} is the server's to say. */
        public Properties(String image, String description, Map<String, String> tags, Boolean isAnonymous,
                          String osType, Object build, String condaFile, Instant creationTime, String createdBy) {
            this(image, description, tags, isAnonymous, osType, build, condaFile, creationTime, createdBy, null);
        }

        /** Whether the version is one of Hangar's curated environments. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean curated() {
            return "Curated".equals(environmentType);
        }
    }
}

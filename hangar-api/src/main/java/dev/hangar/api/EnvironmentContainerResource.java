package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An ARM environment, {@code workspaces/{ws}/environments/{name}}, in Azure Machine Learning's shape: a name whose
 * versions are {@link EnvironmentVersionResource}s. {@code latestVersion} is the newest; Hangar adds
 * {@code environmentType} ({@code Curated} or {@code UserCreated}, as a version says it), which Azure's clients ignore.
 */
public record EnvironmentContainerResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces/environments";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(String description, Map<String, String> tags, Boolean isArchived, String latestVersion,
                             String nextVersion, String provisioningState, String environmentType) {
        /** Whether it is one of Hangar's curated environments. */
        @JsonIgnore
        public boolean curated() {
            return "Curated".equals(environmentType);
        }
    }
}

package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An ARM code version, {@code workspaces/{ws}/codes/{name}/versions/{version}}, in Azure Machine Learning's shape. A
 * Hangar code snapshot is named by the digest of its files and has the one version {@code 1}; {@code codeUri} is
 * where its tar.gz is downloaded, and Hangar adds the number of files and their bytes.
 */
public record CodeVersionResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces/codes/versions";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(String codeUri, Boolean isAnonymous, Boolean isArchived, String provisioningState,
                             String description, Integer files, Long bytes, Instant creationTime, String createdBy) {
    }
}

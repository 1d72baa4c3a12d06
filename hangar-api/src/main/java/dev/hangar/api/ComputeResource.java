package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An ARM compute resource: {@code workspaces/{ws}/computes/{name}}.
 *
 * <p>Every key azureml-core indexes directly ({@code id}, {@code location}, {@code tags}) is always written, {@code null}
 * when empty; {@code identity} is optional and omitted when absent.
 */
public record ComputeResource(
        String id,
        String name,
        String type,
        String location,
        Map<String, String> tags,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object identity,
        Compute properties) {

    /** The ARM resource type of every compute. */
    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces/computes";
}

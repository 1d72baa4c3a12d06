package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonAlias;

/** The workspace-level {@code checkComputeNameAvailability} call azureml-core makes before creating an instance. */
public final class CheckNameAvailability {
    private CheckNameAvailability() {
    }

    /** The request; azureml-core sends {@code Name} and {@code Type} capitalised. */
    public record Request(@JsonAlias("Name") String name, @JsonAlias("Type") String type) {
    }

    /** The answer; {@code reason} is {@code Invalid} or {@code AlreadyExists} when the name is not available. */
    public record Response(boolean nameAvailable, String reason, String message) {
    }
}

package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.client.EnvironmentClient;
import java.nio.file.Path;

/**
 * The environment {@code hangar job create} is asked to run a job in: a recorded version by its id, or an image given
 * inline, which becomes az's anonymous version when the job is submitted. Both null: the compute's own environment.
 *
 * @param id    what the job's {@code environmentId} names: {@code azureml:<name>:<version>},
 *              {@code azureml:<name>@latest} or a version's ARM id
 * @param image a container image, given inline
 */
record JobEnvironment(String id, String image) {
    static final JobEnvironment NONE = new JobEnvironment(null, null);
    private static final String PREFIX = "azureml:";

    /**
     * A version named as az names it; {@code <name>:<version>} and {@code <name>@latest} without az's
     * {@code azureml:} get it, as a compute's name does, and an ARM id stays as it is. The server judges the rest.
     */
    static JobEnvironment reference(String id) {
        var text = id.strip();
        return new JobEnvironment(text.startsWith(PREFIX) || text.startsWith("/") ? text : PREFIX + text, null);
    }

    /**
     * An image given inline.
     *
     * @throws CliException {@code EnvironmentImageRequired} when it is blank
     */
    static JobEnvironment inline(String image) {
        if (image == null || image.isBlank()) {
            throw new CliException("EnvironmentImageRequired", "an inline environment needs the container image the"
                    + " job runs in", ExitCodes.USAGE);
        }
        return new JobEnvironment(null, image.strip());
    }

    /**
     * A job YAML's {@code environment:} as az reads it: a string names a version; a mapping is an inline environment,
     * of which Hangar takes the {@code image}.
     *
     * @throws CliException {@code EnvironmentBuildUnsupported} for a mapping with {@code build} or
     *                      {@code conda_file}, {@code EnvironmentImageRequired} for one without an image,
     *                      {@code InvalidJobFile}
     */
    static JobEnvironment read(JsonNode environment, Path yaml) {
        if (environment.isTextual()) {
            if (environment.asText().isBlank()) {
                throw new CliException("InvalidJobFile", yaml + ": environment is azureml:<name>:<version>,"
                        + " azureml:<name>@latest or a mapping with an image, not empty", ExitCodes.USAGE);
            }
            return reference(environment.asText());
        }
        if (!environment.isObject()) {
            throw new CliException("InvalidJobFile", yaml + ": environment is azureml:<name>:<version>,"
                    + " azureml:<name>@latest or a mapping with an image", ExitCodes.USAGE);
        }
        EnvironmentDefinition.refuseBuild(environment, "the environment of " + yaml.getFileName());
        var image = environment.path("image");
        if (!image.isValueNode() || image.isNull()) {
            throw new CliException("EnvironmentImageRequired", yaml + ": an inline environment needs the container"
                    + " image the job runs in: environment.image", ExitCodes.USAGE);
        }
        return inline(image.asText());
    }

    /** Whether the job names an environment at all. */
    boolean given() {
        return id != null || image != null;
    }

    /**
     * The {@code environmentId} to submit the job with (null: none): the id, or that of the anonymous version
     * recorded now for the inline image (the same one again for the same image).
     */
    String environmentId(EnvironmentClient environments) {
        return image != null ? environments.createAnonymousVersion(image) : id;
    }
}

package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.EnvironmentVersionResource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@code hangar environment create} is asked for, in the keys of az's environment YAML ({@code -f}); the command
 * line's options override the file's keys one by one. Every field is {@code null} when not given.
 */
record EnvironmentDefinition(String name, String version, String image, String description, Map<String, String> tags) {
    private static final Set<String> KEYS = Set.of("$schema", "name", "version", "image", "description", "tags");
    /** The keys of az's YAML that ask for an image to be built, which Hangar never does. */
    private static final Set<String> BUILD_KEYS = Set.of("build", "conda_file");

    EnvironmentDefinition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * Reads an environment's YAML as {@code az ml environment create -f} does; {@code note} hears of keys Hangar does
     * not use.
     *
     * @throws CliException {@code EnvironmentBuildUnsupported} for a {@code build} or {@code conda_file},
     *                      {@code InvalidEnvironmentFile}
     */
    static EnvironmentDefinition read(Path yaml, Consumer<String> note) {
        var file = AzYaml.read(yaml, "InvalidEnvironmentFile");
        var tree = file.tree();
        refuseBuild(tree, yaml.getFileName().toString());
        file.noteUnused(KEYS, note);
        for (var key : new String[] {"name", "version", "image", "description"}) {
            if (tree.hasNonNull(key) && !tree.get(key).isValueNode()) {
                throw file.invalid(key + " is a single value");
            }
        }
        return new EnvironmentDefinition(file.text("name"), file.text("version"), file.text("image"),
                file.text("description"), file.tags());
    }

    /**
     * Refuses an environment, an environment file's or a job's inline one ({@code where}), that asks for an image to
     * be built: Hangar runs images, as the server says with the same code.
     */
    static void refuseBuild(JsonNode environment, String where) {
        for (var key : BUILD_KEYS) {
            if (environment.hasNonNull(key)) {
                throw new CliException("EnvironmentBuildUnsupported", "'" + key + "' in " + where + " asks Hangar to"
                        + " build an image, and Hangar runs container images but builds none: build and push the"
                        + " image beforehand and give it as 'image'", ExitCodes.USAGE);
            }
        }
    }

    /** This definition with every field {@code options} gives replaced; tags are merged, the options' winning. */
    EnvironmentDefinition overriddenBy(EnvironmentDefinition options) {
        var merged = new LinkedHashMap<>(tags);
        merged.putAll(options.tags());
        return new EnvironmentDefinition(either(options.name(), name), either(options.version(), version),
                either(options.image(), image), either(options.description(), description), merged);
    }

    /**
     * The properties to record.
     *
     * @throws CliException {@code MissingEnvironmentField} without a name, a version or an image
     */
    EnvironmentVersionResource.Properties properties() {
        if (name == null || version == null || image == null) {
            throw new CliException("MissingEnvironmentField", "an environment version needs a name, a version and an"
                    + " image (--name, --version and --image, or name, version and image in the YAML)",
                    ExitCodes.USAGE);
        }
        return new EnvironmentVersionResource.Properties(image, description, tags.isEmpty() ? null : tags, null, null,
                null, null, null, null);
    }

    private static <T> T either(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}

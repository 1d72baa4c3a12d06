package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One of the YAML files {@code az ml ... create -f} takes (a compute's, an environment's, a job's): a mapping, read
 * once, whose problems are refused with the file's own error code and exit code 2.
 */
final class AzYaml {
    private final Path file;
    private final String errorCode;
    private final JsonNode tree;

    private AzYaml(Path file, String errorCode, JsonNode tree) {
        this.file = file;
        this.errorCode = errorCode;
        this.tree = tree;
    }

    /** @param errorCode what a file that cannot be read, or is not a mapping, is refused with */
    static AzYaml read(Path file, String errorCode) {
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new CliException(errorCode, "cannot read " + file + ": " + e.getMessage(), ExitCodes.USAGE);
        }
        if (tree == null || !tree.isObject()) {
            throw new CliException(errorCode, file + " is not a YAML mapping", ExitCodes.USAGE);
        }
        return new AzYaml(file, errorCode, tree);
    }

    JsonNode tree() {
        return tree;
    }

    /** Tells {@code note} of each top-level key Hangar does not use. */
    void noteUnused(Set<String> used, Consumer<String> note) {
        tree.fieldNames().forEachRemaining(key -> {
            if (!used.contains(key)) {
                note.accept("Note: '" + key + "' in " + file.getFileName() + " is not used by Hangar.");
            }
        });
    }

    /** A top-level key's text, or null. */
    String text(String key) {
        return tree.hasNonNull(key) ? tree.get(key).asText() : null;
    }

    /** {@code tags}: a mapping of names to values, empty when absent. */
    Map<String, String> tags() {
        var tags = mapping("tags");
        return tags == null ? Map.of() : tags;
    }

    /** A top-level key's mapping of names to values, in the file's order; null when absent. */
    Map<String, String> mapping(String key) {
        if (!tree.hasNonNull(key)) {
            return null;
        }
        if (!tree.get(key).isObject()) {
            throw invalid(key + " is a mapping of names to values");
        }
        var mapping = new LinkedHashMap<String, String>();
        tree.get(key).properties().forEach(entry -> mapping.put(entry.getKey(), entry.getValue().asText()));
        return mapping;
    }

    /** A top-level key's whole number, or null. */
    Integer integer(String key) {
        if (!tree.hasNonNull(key)) {
            return null;
        }
        var value = tree.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(key + " is a whole number, not '" + value.asText() + "'");
        }
        return value.intValue();
    }

    /** The refusal of something wrong in this file. */
    CliException invalid(String problem) {
        return new CliException(errorCode, file + ": " + problem, ExitCodes.USAGE);
    }
}

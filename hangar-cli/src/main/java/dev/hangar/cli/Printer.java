package dev.hangar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.hangar.client.HangarJson;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints a wire record as {@code -o json|yaml|tsv} asks, after {@code --query}. JSON keeps every key as the server
 * writes it. A query, and TSV, see a list's items as the list ({@code {"value": [...]}} as {@code [...]}), since
 * that is what {@code az} prints for a list; TSV prints a row per item and the item's plain values in order,
 * tab-separated, as {@code az -o tsv} does (nested objects and lists are left out).
 */
final class Printer {
    private static final ObjectMapper JSON = HangarJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Printer() {
    }

    static String print(Object value, OutputOptions output) {
        var format = output == null ? OutputOptions.Format.json : output.format;
        var query = output == null ? null : output.query;
        if (query == null && format != OutputOptions.Format.yaml && format != OutputOptions.Format.tsv) {
            return write(JSON, value);
        }
        JsonNode tree = JSON.valueToTree(value);
        if (query != null || format == OutputOptions.Format.tsv) {
            tree = items(tree);
        }
        if (query != null) {
            tree = search(tree, query);
        }
        return switch (format) {
            case yaml -> write(Yaml.MAPPER, tree).stripTrailing();
            case tsv -> tsv(tree);
            default -> write(JSON, tree);
        };
    }

    private static JsonNode search(JsonNode tree, String query) {
        var runtime = new JacksonRuntime();
        try {
            return runtime.compile(query).search(tree);
        } catch (JmesPathException e) {
            throw new CliException("InvalidQuery", "--query is not a JMESPath expression: " + e.getMessage(),
                    ExitCodes.USAGE);
        }
    }

    /** A page's items, {@code {"value": [...], "nextLink": ...}} as {@code [...]}; anything else as it is. */
    private static JsonNode items(JsonNode tree) {
        if (tree.isObject() && tree.path("value").isArray()) {
            var names = new ArrayList<String>();
            tree.fieldNames().forEachRemaining(names::add);
            names.removeAll(List.of("value", "nextLink"));
            if (names.isEmpty()) {
                return tree.get("value");
            }
        }
        return tree;
    }

    private static String tsv(JsonNode tree) {
        if (tree.isArray()) {
            var rows = new ArrayList<String>();
            tree.forEach(item -> rows.add(row(item)));
            return String.join("\n", rows);
        }
        return row(tree);
    }

    private static String row(JsonNode node) {
        if (node.isObject()) {
            var cells = new ArrayList<String>();
            node.fields().forEachRemaining(field -> {
                if (!field.getValue().isContainerNode()) {
                    cells.add(cell(field.getValue()));
                }
            });
            return String.join("\t", cells);
        }
        if (node.isArray()) {
            var cells = new ArrayList<String>();
            node.forEach(item -> cells.add(item.isContainerNode() ? "" : cell(item)));
            return cells.stream().collect(Collectors.joining("\t"));
        }
        return cell(node);
    }

    private static String cell(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "" : node.asText().replaceAll("[\t\r\n]+", " ");
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** YAML as az writes it: block style, no document start marker. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
    }
}

package dev.hangar.cli;

import picocli.CommandLine.Option;

/**
 * {@code -o table|json|yaml|tsv} and {@code --query}, as in {@code az}: a table for people, or the server's answer for
 * scripts, as JSON, YAML or tab-separated values, optionally narrowed by a JMESPath query.
 */
final class OutputOptions {
    enum Format { table, json, yaml, tsv }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json, yaml or tsv (env HANGAR_OUTPUT; default: table)")
    Format format;

    @Option(names = "--query", paramLabel = "JMESPATH",
            description = "a JMESPath query of the answer, as az's --query (a list's items are the list); "
                    + "prints JSON unless -o yaml or tsv")
    String query;

    @Option(names = "--wide", description = "in a table, print long texts (reasons, details) whole, not cut to "
            + Table.TEXT_WIDTH + " characters")
    boolean wide;

    /** Whether the answer is printed as data (JSON, YAML or TSV) rather than as a table. */
    boolean json() {
        return format != Format.table || query != null;
    }
}

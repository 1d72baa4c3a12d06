package dev.hangar.cli;

import picocli.CommandLine.Option;

/** {@code --output table|json}: a table for people, or the server's JSON for scripts. */
final class OutputOptions {
    enum Format { table, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (env HANGAR_OUTPUT; default: table)")
    Format format;

    @Option(names = "--wide", description = "in a table, print long texts (reasons, details) whole, not cut to "
            + Table.TEXT_WIDTH + " characters")
    boolean wide;

    boolean json() {
        return format == Format.json;
    }
}

package dev.hangar.cli;

import picocli.CommandLine.Option;

/** {@code --output table|json}: a table for people, or the server's JSON for scripts. */
final class OutputOptions {
    enum Format { table, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (env HANGAR_OUTPUT; default: table)")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}

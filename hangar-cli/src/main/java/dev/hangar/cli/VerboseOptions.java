package dev.hangar.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: on failure, print the cause chain and the failed request after the {@code ERROR:} line. */
final class VerboseOptions {
    @Option(names = {"-v", "--verbose"}, description = "on failure, also print the cause chain")
    boolean verbose;
}

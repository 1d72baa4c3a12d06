package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command's {@code --help}: exit 0, the usage on stdout, at most 80 columns, its examples whole. */
class HelpTest {
    private static final int COLUMNS = 80;

    @TempDir
    Path home;

    /** Every command of the tree, as the words a user types ({@code compute create}). */
    static Stream<String> commands() {
        var all = new ArrayList<String>();
        collect(Main.newCommandLine(new CliEnvironment(Map.of(), Path.of("."), false)), "", all);
        return all.stream();
    }

    private static void collect(CommandLine command, String path, List<String> all) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName()) || name.equals("help")) {
                return; // an alias, or picocli's help command
            }
            var words = (path + " " + name).strip();
            all.add(words);
            collect(sub, words, all);
        });
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpExitsZeroWithTheUsageAtEightyColumns(String command) {
        var args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        var result = new Cli(home).run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Usage: hangar " + command);
        assertThat(result.outLines()).as("lines over %d columns", COLUMNS)
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(COLUMNS));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyExampleIsOneWholeCommandLine(String command) {
        var result = new Cli(home).run((command + " --help").split(" "));

        var start = result.out().indexOf("Examples:");
        var lines = start < 0 ? List.<String>of() : result.out().substring(start).lines().skip(1).toList();
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i);
            if (line.isBlank() || !line.startsWith("  ")) {
                break;
            }
            var continued = i > 0 && lines.get(i - 1).stripTrailing().endsWith("\\");
            assertThat(continued || line.matches("  ([A-Z_]+=\\S+ )*hangar .*"))
                    .as("an example line that is not a command: '%s'", line).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "comptue,       hangar,         compute",
        "compute lsit,  hangar compute, list",
        "compute delte, hangar compute, delete",
        "files uplod,   hangar files,   upload"})
    void anUnknownCommandSuggestsTheNearest(String typed, String parent, String suggestion) {
        var result = new Cli(home).run(typed.split(" "));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("ERROR: UsageError: Unknown command '" + typed.substring(typed.lastIndexOf(' ') + 1) + "'")
                .contains("did you mean '" + suggestion + "'")
                .endsWith("(see '" + parent + " --help')");
    }

    @Test
    void anUnknownOptionSuggestsTheNearest() {
        var result = new Cli(home).run("files", "delete", "Users/alice/x", "--recurse");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).singleElement().asString()
                .contains("Unknown option: '--recurse'; did you mean '--recursive'?");
    }

    @Test
    void nothingNearIsSuggestedAsNear() {
        var result = new Cli(home).run("compute", "frobnicate");

        assertThat(result.errLines()).singleElement().asString().doesNotContain("did you mean");
    }

    @Test
    void theRootHelpListsEveryGroup() {
        var result = new Cli(home).run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("compute", "files", "job", "environment", "role");
    }
}

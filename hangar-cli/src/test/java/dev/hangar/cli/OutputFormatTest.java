package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o json|yaml|tsv|table} and {@code --query}, as az has them. */
class OutputFormatTest {
    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page(null,
                Arm.instance("ci1", "Running", Arm.ALICE, null), Arm.instance("ci2", "Stopped", Arm.BOB, Arm.ALICE))));
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Running", Arm.ALICE, null)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void queryPicksFromAListsItemsAsAzDoes() {
        var result = cli.run("compute", "list", "--query", "[].name");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualToIgnoringWhitespace("[\"ci1\", \"ci2\"]");
    }

    @Test
    void queryWithAFilterAndAProjection() {
        var result = cli.run("compute", "list", "--query",
                "[?properties.properties.state=='Stopped'].{name: name, state: properties.properties.state}");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualToIgnoringWhitespace("[{\"name\": \"ci2\", \"state\": \"Stopped\"}]");
    }

    @Test
    void queryOfOneResourceAsTsvPrintsThePlainValue() {
        var result = cli.run("compute", "show", "-n", "ci1", "--query", "properties.properties.state", "-o", "tsv");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("Running\n");
    }

    @Test
    void tsvPrintsARowPerItemWithItsPlainValues() {
        var result = cli.run("compute", "list", "-o", "tsv", "--query", "[].[name, properties.properties.state]");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("ci1\tRunning", "ci2\tStopped");
    }

    @Test
    void tsvLeavesNestedValuesOut() {
        var result = cli.run("compute", "list", "-o", "tsv");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).hasSize(2);
        assertThat(result.outLines().getFirst()).startsWith(Arm.compute("ci1") + "\tci1\t")
                .doesNotContain("{").doesNotContain("[");
    }

    @Test
    void yamlPrintsTheAnswerAsYaml() {
        var result = cli.run("compute", "show", "-n", "ci1", "-o", "yaml");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).contains("name: ci1", "id: " + Arm.compute("ci1"))
                .doesNotContain("---");
        assertThat(result.out()).contains("  properties:\n", "    state: Running\n");
    }

    @Test
    void yamlWithAQuery() {
        var result = cli.run("compute", "list", "-o", "yaml", "--query", "[].name");

        assertThat(result.outLines()).containsExactly("- ci1", "- ci2");
    }

    @Test
    void jsonWithoutAQueryIsTheServersAnswerAsBefore() {
        var result = cli.run("compute", "list", "-o", "json");

        assertThat(result.out()).startsWith("{").contains("\"value\" : [");
    }

    @Test
    void aQueryThatDoesNotParseIsAUsageError() {
        var result = cli.run("compute", "list", "--query", "[?name==");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("ERROR: InvalidQuery: --query is not a JMESPath expression: ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anUnknownFormatNamesTheFormats() {
        var result = cli.run("compute", "list", "-o", "xml");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("table, json, yaml, tsv");
    }
}

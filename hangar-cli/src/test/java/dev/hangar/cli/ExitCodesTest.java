package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One exit code per kind of failure, whatever the command and whatever HTTP status the server chose for it. */
class ExitCodesTest {
    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aMissingComputeIsNotFoundInShowAndInJobCreate() {
        server.on("GET", Arm.compute("gone"), Reply.json(404, Arm.error("ResourceNotFound", "no compute gone")));
        server.on("PUT", Arm.job("j1"), Reply.json(400, Arm.error("ComputeNotFound",
                "Compute 'gone' does not exist in workspace 'ws1'.")));

        var show = cli.run("compute", "show", "-n", "gone");
        var job = cli.run("job", "create", "-n", "j1", "--compute", "gone", "--command", "true");

        assertThat(show.exitCode()).as(show.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(job.exitCode()).as(job.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(job.errLines()).containsExactly(
                "ERROR: ComputeNotFound: Compute 'gone' does not exist in workspace 'ws1'.");
    }

    @Test
    void aMissingEnvironmentIsNotFoundToo() {
        server.on("PUT", Arm.job("j1"), Reply.json(400, Arm.error("EnvironmentNotFound", "no py312:9")));

        var job = cli.run("job", "create", "-n", "j1", "--compute", "ci1", "--command", "true",
                "--environment", "azureml:py312:9");

        assertThat(job.exitCode()).as(job.err()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anotherRefusalStaysAUsageError() {
        server.on("POST", Arm.compute("cl1") + "/start", Reply.json(400, Arm.error("OperationNotSupported",
                "a cluster is not started")));

        var start = cli.run("compute", "start", "-n", "cl1");

        assertThat(start.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    /** The table in docs/cli.md and the one {@code hangar --help} prints give each code the same meaning. */
    @Test
    void theDocumentedTableIsTheHelpsTable() throws IOException {
        var docs = Files.readString(Path.of("..", "docs", "cli.md"));
        var help = cli.run("--help").out();
        var row = Pattern.compile("(?m)^\\| (\\d) \\| ");
        var documented = row.matcher(docs).results().map(m -> Integer.parseInt(m.group(1))).toList();
        var listed = Pattern.compile("(?m)^\\s+(\\d)\\s{2,}").matcher(help.substring(help.indexOf("Exit codes:")))
                .results().map(m -> Integer.parseInt(m.group(1))).toList();

        assertThat(documented).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(listed).isEqualTo(documented);
        assertThat(help).contains("4   not found: 404, or any *NotFound code");
    }
}

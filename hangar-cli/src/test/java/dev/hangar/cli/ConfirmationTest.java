package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A destructive command asks first, as az does: {@code --yes} skips it, and without a terminal it fails. */
class ConfirmationTest {
    private static final String FILE = ArmServer.WORKSPACE + "/files/Users/alice/project";

    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("DELETE", Arm.compute("ci1") + "?underlyingResourceAction=Delete", Reply.empty(204));
        server.on("DELETE", Arm.compute("hpc") + "?underlyingResourceAction=Detach", Reply.empty(204));
        server.on("DELETE", FILE + "?recursive=true", Reply.empty(204));
        server.on("DELETE", "/hangar/v1/vmSizes/Standard_Team_v1", Reply.empty(204));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "compute delete -n ci1           | delete compute 'ci1'",
        "compute detach -n hpc           | detach compute 'hpc'",
        "files delete Users/alice/project --recursive | delete Users/alice/project and all in it",
        "vm-size delete Standard_Team_v1 | delete VM size Standard_Team_v1"})
    void withoutATerminalItFailsNamingYesAndSendsNothing(String command, String what) {
        var result = cli.run(command.split(" "));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: ConfirmationRequired: there is no terminal to confirm"
                + " that you want to " + what + ": pass --yes to do it without asking");
        assertThat(deletes()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "compute delete -n ci1           | delete compute 'ci1'",
        "compute detach -n hpc           | detach compute 'hpc'",
        "files delete Users/alice/project --recursive | delete Users/alice/project and all in it",
        "vm-size delete Standard_Team_v1 | delete VM size Standard_Team_v1"})
    void onATerminalItAsksAndNoKeepsIt(String command, String what) {
        var result = cli.answering("n").run(command.split(" "));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(cli.questions()).containsExactly("Are you sure you want to " + what + "? (y/N): ");
        assertThat(deletes()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"y", "Y", "yes"})
    void yesAtThePromptDeletes(String answer) {
        var result = cli.answering(answer).run("compute", "delete", "-n", "ci1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'ci1' does not exist: nothing to delete.");
        assertThat(deletes()).hasSize(1);
    }

    @Test
    void anEmptyAnswerIsNo() {
        var result = cli.answering("").run("compute", "delete", "-n", "ci1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Nothing done to compute 'ci1'.");
        assertThat(deletes()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "compute delete -n ci1 --yes",
        "compute delete -n ci1 -y",
        "compute detach -n hpc --yes",
        "files delete Users/alice/project --recursive --yes",
        "vm-size delete Standard_Team_v1 -y"})
    void yesDeletesWithoutAsking(String command) {
        var result = cli.answering("n").run(command.split(" "));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(cli.questions()).isEmpty();
        assertThat(deletes()).hasSize(1);
    }

    private List<ArmServer.Request> deletes() {
        var deletes = new ArrayList<ArmServer.Request>();
        server.requests().stream().filter(request -> request.method().equals("DELETE")).forEach(deletes::add);
        return deletes;
    }
}

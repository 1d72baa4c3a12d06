package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's errors reach the user with the command line's flags, not the query parameters they set. */
class FlagWordsTest {
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
    void aFolderWithFilesNamesRecursive() {
        server.on("DELETE", ArmServer.WORKSPACE + "/files/Users/alice/project", Reply.json(409, error("FolderNotEmpty",
                "'Users/alice/project' is a folder with files in it; delete it with recursive=true to delete them"
                        + " too.")));

        var result = cli.run("files", "delete", "Users/alice/project", "--yes");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.errLines()).containsExactly("ERROR: FolderNotEmpty: 'Users/alice/project' is a folder with"
                + " files in it; delete it with --recursive to delete them too.");
    }

    @Test
    void aTopOutOfRangeNamesTop() {
        server.on("GET", "/hangar/v1/events?workspace=ws1&top=5000", Reply.json(400, error("InvalidTop",
                "top must be 1 to 1000; got 5000.")));

        var result = cli.run("events", "--top", "5000");

        assertThat(result.errLines()).containsExactly("ERROR: InvalidTop: --top must be 1 to 1000; got 5000.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "InvalidTimeRange | until (2026-01-01T00:00:00Z) is before since (2026-02-01T00:00:00Z). "
                + "| --until (2026-01-01T00:00:00Z) is before --since (2026-02-01T00:00:00Z).",
        "InvalidFilter    | 'Done' is not a job state; status takes [Queued, Running], comma separated. "
                + "| 'Done' is not a job state; --status takes [Queued, Running], comma separated.",
        "FolderNotEmpty   | a recursive=trueish word | a recursive=trueish word",
        "InvalidName      | top is not a flag here | top is not a flag here"})
    void onlyTheWordsOfAKnownParameterAreRewritten(String code, String server, String shown) {
        assertThat(FlagWords.of(code, server)).isEqualTo(shown);
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"target\":null,\"details\":[]}}";
    }
}

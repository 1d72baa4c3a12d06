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

/** A multi-line or long reason never breaks a table: one line, cut with an ellipsis, whole with --wide. */
class LongTextTest {
    private static final String REASON = "setup script failed: exit code 2\\n  line 1: conda: command not found\\n"
            + "  line 7: pip install failed for every one of the twelve packages asked for";
    private static final String ONE_LINE = "setup script failed: exit code 2 line 1: conda: command not found line 7:"
            + " pip install failed for every one of the twelve packages asked for";

    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "SetupFailed", Arm.ALICE, null)));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, """
                {"value":[
                 {"time":"2025-01-02T03:04:05Z","from":null,"to":"Creating","reason":"created","actor":"alice"},
                 {"time":"2025-01-02T03:04:09Z","from":"SettingUp","to":"SetupFailed","reason":"%s",
                  "actor":"reconciler"}]}"""
                .formatted(REASON)));
        server.on("GET", "/hangar/v1/events?workspace=ws1", Reply.json(200, """
                {"value":[{"id":"e1","time":"2025-01-02T03:04:09Z","workspace":"ws1","actor":"reconciler",
                  "action":"Hangar/computes/stateTransition","target":"ci1","result":"Failed","status":null,
                  "errorCode":"SetupFailed","requestId":null,"trigger":null,"detail":"%s"}]}""".formatted(REASON)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void showCutsAMultiLineReasonToOneLine() {
        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var history = result.out().substring(result.out().indexOf("History:")).lines().toList();
        assertThat(history).containsExactly("History:",
                "TIME                  FROM       TO           %-60s  ACTOR".formatted("REASON"),
                "2025-01-02T03:04:05Z  -          Creating     %-60s  alice".formatted("created"),
                "2025-01-02T03:04:09Z  SettingUp  SetupFailed  " + ONE_LINE.substring(0, 57) + "...  reconciler");
    }

    @Test
    void wideShowsTheWholeReasonOnOneLine() {
        var result = cli.run("compute", "history", "-n", "ci1", "--wide");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).hasSize(3);
        assertThat(result.outLines().get(2)).endsWith("SetupFailed  " + ONE_LINE + "  reconciler");
    }

    @Test
    void eventsCutADetailToOneLine() {
        var result = cli.run("events");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).hasSize(2);
        assertThat(result.outLines().get(1)).endsWith("Failed SetupFailed  " + ONE_LINE.substring(0, 57) + "...");
        assertThat(cli.run("events", "--wide").outLines().get(1)).endsWith("Failed SetupFailed  " + ONE_LINE);
    }
}

package dev.hangar.cli;

import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@code hangar} in-process with captured out and err, a temporary config file and a chosen environment. */
final class Cli {
    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private boolean interactive;
    private String answer;
    private final List<String> questions = new ArrayList<>();

    Cli(Path home) {
        this.home = home;
        environment.put("HANGAR_CONFIG", configFile().toString());
    }

    /** A CLI logged in, as alice (no administrator), to a fake ARM server that answers the session call. */
    static Cli loggedIn(Path home, ArmServer server) {
        var cli = new Cli(home);
        server.on("GET", "/hangar/v1/session", ArmServer.Reply.json(200,
                Arm.session(Arm.ALICE, "alice", false)));
        var login = cli.run("login", "--server", server.uri().toString(), "--token", ArmServer.TOKEN,
                "--ca-cert", TestCertificates.get("hangar-test",
                        TestCertificates.LOCALHOST).pem().toString());
        if (login.exitCode() != 0) {
            throw new AssertionError("login failed: " + login.err());
        }
        return cli;
    }

    Path configFile() {
        return home.resolve("hangar-config").resolve("config.json");
    }

    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Cli interactive() {
        interactive = true;
        return this;
    }

    /** A terminal on which the user answers every question with {@code answer}. */
    Cli answering(String answer) {
        this.answer = answer;
        return this;
    }

    /** The questions asked on the terminal, in order. */
    List<String> questions() {
        return questions;
    }

    Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        CliEnvironment.Prompt prompt = answer == null ? CliEnvironment.Prompt.NONE : question -> {
            questions.add(question);
            return Optional.of(answer);
        };
        var command = Main.newCommandLine(new CliEnvironment(environment, home, interactive, prompt));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }
}

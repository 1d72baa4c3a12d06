package dev.hangar.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code hangar} in-process with captured out and err, a temporary config file and a chosen environment. */
final class Cli {
    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private boolean interactive;

    Cli(Path home) {
        this.home = home;
        environment.put("HANGAR_CONFIG", configFile().toString());
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

    Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var command = Main.newCommandLine(new CliEnvironment(environment, home, interactive));
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

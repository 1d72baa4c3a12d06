package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.CommandShell;
import dev.hangar.ssh.client.ShellResult;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The machine Slurm's commands run on, as the connection's account or as the account a job runs as: it prefixes
 * commands with the switch of user ({@code runuser} for root, else {@code sudo -n}) and points Slurm's commands at the
 * configured slurm.conf. The switch goes first and the variable after it, because {@code sudo} drops variables.
 *
 * <p>Thread-safe.
 */
final class SlurmHost {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** POSIX-ish account names; never starting with '-', which a command would take for an option. */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*");

    private final CommandShell shell;
    private final String slurmConf;
    private Account account; // guarded by this

    /** The account a connection reaches its machine as. */
    record Account(String name, int uid) {
        boolean isRoot() {
            return uid == 0;
        }
    }

    /** What a command printed, and how it ended. */
    record Output(int exitCode, String text, String errors) {
        boolean succeeded() {
            return exitCode == 0;
        }

        ShellResult result() {
            return new ShellResult(exitCode, errors);
        }
    }

    SlurmHost(CommandShell shell, String slurmConf) {
        this.shell = shell;
        this.slurmConf = slurmConf;
    }

    /** The connection's account, asked once ({@code id -un}, {@code id -u}) and then kept. */
    synchronized Account account() {
        if (account == null) {
            var name = output(null, List.of("id", "-un")).strip();
            var uid = output(null, List.of("id", "-u")).strip();
            account = new Account(name, Integer.parseInt(uid));
        }
        return account;
    }

    /** A Slurm command line, pointed at the configured slurm.conf when there is one. */
    List<String> slurm(String program, String... arguments) {
        var command = new ArrayList<String>();
        if (slurmConf != null) {
            command.addAll(List.of("env", "SLURM_CONF=" + slurmConf));
        }
        command.add(program);
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * Runs a command as {@code runAs} (null: the connection's account) and returns what it printed.
     *
     * @throws EngineException {@code SlurmCommandFailed} when it exits non-zero,
     *     {@code SlurmControllerUnreachable} when the controller or the machine did not answer
     */
    String output(String runAs, List<String> command) {
        var output = attempt(runAs, command);
        if (!output.succeeded()) {
            throw SlurmFailures.of(SlurmFailures.COMMAND_FAILED, command, output.result());
        }
        return output.text();
    }

    /** Runs a command as {@code runAs} and returns how it ended, whatever its exit status. */
    Output attempt(String runAs, List<String> command) {
        var text = new ByteArrayOutputStream();
        var result = stream(runAs, command, InputStream.nullInputStream(), text, COMMAND_TIMEOUT);
        return new Output(result.exitCode(), text.toString(StandardCharsets.UTF_8), result.errors());
    }

    /** Runs a command as {@code runAs} with {@code input} as its standard input and its output into {@code output}. */
    ShellResult stream(String runAs, List<String> command, InputStream input, OutputStream output, Duration timeout) {
        return shell.run(as(runAs, command), input, output, timeout);
    }

    /** The node names of a Slurm node list; {@code scontrol} expands ranges such as {@code node[1-3]}. */
    List<String> hostnames(String nodeList) {
        if (!nodeList.contains("[")) {
            return List.of(nodeList.split(","));
        }
        return output(null, slurm("scontrol", "show", "hostnames", nodeList)).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    /** A value of {@code scontrol show config}, whose lines read {@code Name = value}; null when it has none. */
    static String configValue(String config, String name) {
        return config.lines().map(line -> line.split("=", 2)).filter(pair -> pair.length == 2
                        && pair[0].strip().equals(name)).map(pair -> pair[1].strip()).findFirst().orElse(null);
    }

    /** Refuses a name that is no account's, before it reaches a command line. */
    static String requireAccountName(String name) {
        if (!ACCOUNT_NAME.matcher(name).matches()) {
            throw EngineException.fatal("SlurmInvalidAccount", "'" + name + "' is not an account name");
        }
        return name;
    }

    private List<String> as(String runAs, List<String> command) {
        if (runAs == null || runAs.equals(account().name())) {
            return command;
        }
        requireAccountName(runAs);
        var switched = new ArrayList<String>();
        switched.addAll(account().isRoot() ? List.of("runuser", "-u", runAs, "--")
                : List.of("sudo", "-n", "-u", runAs, "--"));
        switched.addAll(command);
        return switched;
    }
}

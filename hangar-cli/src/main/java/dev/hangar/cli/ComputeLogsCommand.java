package dev.hangar.cli;

import dev.hangar.api.ComputeInstanceProperties.ScriptReference;
import dev.hangar.api.ComputeResource;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.FileClient;
import dev.hangar.client.HangarException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Prints the log of an instance's creation script (--setup, the default) or startup script"
                + " (--startup), which Hangar writes to the workspace's file share as it runs: Logs/<instance>/"
                + "creation.log and startup.log. --follow waits while the instance is being created or started,"
                + " keeps printing what is added while it is SettingUp, then prints its state on stderr and exits 1"
                + " if it is SetupFailed.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute logs -n ci1 --setup",
            "  hangar compute logs -n ci1 --startup",
            "  hangar compute logs -n ci1 --setup --follow"})
final class ComputeLogsCommand extends HangarCommand {
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final String SETTING_UP = "SettingUp";
    /** The states an instance passes before its scripts run: a follower waits through them. */
    private static final Set<String> BEFORE_SETUP = Set.of("Creating", "Starting", "Restarting");
    private static final String SETUP_FAILED = "SetupFailed";
    private static final byte[] NOTHING = new byte[0];

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME", description = "the instance's name")
    String name;

    @Option(names = "--setup", description = "the creation script's log (the default)")
    boolean setup;

    @Option(names = "--startup", description = "the startup script's log")
    boolean startup;

    @Option(names = {"-f", "--follow"}, description = "keep printing what is added, once a second, while the"
            + " instance is being created, started or SettingUp")
    boolean follow;

    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    VerboseOptions verbose;

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private int printed;

    ComputeLogsCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        if (setup && startup) {
            throw new ParameterException(spec.commandLine(), "--setup and --startup exclude each other: one log at"
                    + " a time");
        }
        var kind = startup ? "startup" : "creation";
        var path = "Logs/" + name + "/" + kind + ".log";
        try (var connection = context.connect()) {
            var ws = connection.workspace(workspace);
            var computes = connection.client().workspace(ws);
            var files = connection.client().files(ws);
            if (!follow) {
                print(read(files, path).orElseThrow(() -> missing(computes.get(name), kind, path)), true);
                return ExitCodes.OK;
            }
            while (true) {
                // the state before the log: once it is no longer SettingUp, the log read after it is whole
                var compute = computes.get(name);
                var state = ComputeClient.stateOf(compute);
                if (BEFORE_SETUP.contains(state)) {
                    // the scripts have not begun: a log there now is an earlier run's, which this one starts anew
                    pause();
                    continue;
                }
                var settingUp = SETTING_UP.equals(state);
                var log = read(files, path);
                if (log.isEmpty() && !settingUp) {
                    throw missing(compute, kind, path);
                }
                print(log.orElse(NOTHING), !settingUp);
                if (!settingUp) {
                    err().println("Compute '" + name + "' is " + state + ".");
                    return SETUP_FAILED.equals(state) ? ExitCodes.FAILED : ExitCodes.OK;
                }
                pause();
            }
        }
    }

    /** The log's bytes; empty when it is not there (yet). */
    private static Optional<byte[]> read(FileClient files, String path) {
        try {
            return Optional.of(files.read(path));
        } catch (HangarException e) {
            if (e.status() == 404 && "FileNotFound".equals(e.code())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Prints what {@code log} holds past what was printed before; a character cut at its end waits for the next look,
     * unless this is the {@code last}.
     */
    private void print(byte[] log, boolean last) {
        if (log.length < printed) {
            printed = 0; // the script ran again, and its log was started anew
        }
        var bytes = ByteBuffer.wrap(log, printed, log.length - printed);
        var text = CharBuffer.allocate(log.length - printed);
        utf8.decode(bytes, text, last);
        if (last) {
            utf8.flush(text);
        }
        printed = bytes.position();
        out().print(text.flip());
        out().flush();
    }

    private CliException missing(ComputeResource compute, String kind, String path) {
        var instance = ComputeView.instance(compute);
        var scripts = instance == null || instance.setupScripts() == null ? null : instance.setupScripts().scripts();
        ScriptReference script = scripts == null ? null
                : kind.equals("startup") ? scripts.startupScript() : scripts.creationScript();
        return new CliException("LogNotFound", script == null
                ? "compute '" + name + "' has no " + kind + " script, so there is no " + path
                : "the " + kind + " script of '" + name + "' has not run yet: there is no " + path + " yet",
                ExitCodes.NOT_FOUND);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted", "interrupted while following the log", ExitCodes.FAILED);
        }
    }
}

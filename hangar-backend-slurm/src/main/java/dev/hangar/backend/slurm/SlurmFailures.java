package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.ShellQuoting;
import dev.hangar.ssh.client.ShellResult;
import dev.hangar.ssh.client.SshErrorCodes;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a failed command into the engine's error. Slurm's commands say in their own words when the controller did not
 * answer; those failures may pass and are retryable, every other one is not.
 */
final class SlurmFailures {
    static final String UNREACHABLE = "SlurmControllerUnreachable";
    static final String COMMAND_FAILED = "SlurmCommandFailed";
    static final String SUBMIT_FAILED = "SlurmSubmitFailed";
    /** What fails on the way to a login node. */
    static final SshErrorCodes SSH = new SshErrorCodes(SlurmSettings.ERROR_CODE, UNREACHABLE, COMMAND_FAILED,
            "SlurmHostKeyMismatch", "SlurmAuthenticationFailed");
    private static final Pattern CONTROLLER_SILENT = Pattern.compile(
            "Unable to contact slurm controller|Socket timed out|Zero Bytes were transmitted or received"
                    + "|Communication connection failure|Slurm backup controller in standby mode",
            Pattern.CASE_INSENSITIVE);

    private SlurmFailures() {
    }

    /** {@value #UNREACHABLE} when the controller did not answer, else {@code code} with the command and its errors. */
    static EngineException of(String code, List<String> command, ShellResult result) {
        var errors = result.errors().strip();
        if (CONTROLLER_SILENT.matcher(errors).find()) {
            return unreachable(errors);
        }
        return EngineException.fatal(code, ShellQuoting.commandLine(command) + " exited with " + result.exitCode()
                + (errors.isEmpty() ? "" : ": " + errors));
    }

    static EngineException unreachable(String slurmMessage) {
        return EngineException.transientFailure(UNREACHABLE, "Slurm's controller did not answer: " + slurmMessage,
                null);
    }
}

package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.ShellQuoting;
import dev.hangar.ssh.client.ShellResult;
import dev.hangar.ssh.client.SshErrorCodes;
import java.util.List;

/** The engine's error codes, and a failed command turned into one. */
final class VmFailures {
    static final String UNREACHABLE = "VirtualMachineUnreachable";
    static final String COMMAND_FAILED = "VirtualMachineCommandFailed";
    static final String SUBMIT_FAILED = "VirtualMachineSubmitFailed";
    static final String UNSUITABLE = "VirtualMachineUnsuitable";
    static final String IMAGE_MISSING = "VirtualMachineImageMissing";
    static final String FOLDER_REFUSED = "VirtualMachineJobFolderRefused";
    static final SshErrorCodes SSH = new SshErrorCodes(VmSettings.ERROR_CODE, UNREACHABLE, COMMAND_FAILED,
            "VirtualMachineHostKeyMismatch", "VirtualMachineAuthenticationFailed");

    private VmFailures() {
    }

    static EngineException of(String code, List<String> command, ShellResult result) {
        var errors = result.errors().strip();
        return EngineException.fatal(code, ShellQuoting.commandLine(command) + " exited with " + result.exitCode()
                + (errors.isEmpty() ? "" : ": " + errors));
    }
}

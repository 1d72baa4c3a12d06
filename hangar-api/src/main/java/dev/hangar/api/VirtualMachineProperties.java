package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * {@code properties.properties} of an attached Linux machine reached over SSH ({@code computeType: VirtualMachine}),
 * as Azure's clients send it: {@code address}, {@code sshPort}, {@code virtualMachineSize} and
 * {@code administratorAccount} (Azure's {@code VirtualMachineSshCredentials}, with Hangar's {@code passphrase} of an
 * encrypted private key); a GET never shows the account's password or keys ({@code listKeys} does). Hangar adds the
 * pinned {@code hostKey} and, read-only, what the machine said of itself when it was attached: its system, CPUs,
 * memory, GPUs, container engine ({@code docker}, {@code podman} or {@code none}) and whether {@code python3} is there.
 *
 * @param notebookServerPort        Azure's; kept as sent, not used by Hangar
 * @param isNotebookInstanceCompute Azure's; kept as sent, not used by Hangar
 * @param hostKey                   the machine's SSH host key as {@code <type> <base64>}, pinned at attach when not
 *                                  given
 */
public record VirtualMachineProperties(
        String virtualMachineSize,
        Integer sshPort,
        Integer notebookServerPort,
        String address,
        SlurmProperties.Credentials administratorAccount,
        Boolean isNotebookInstanceCompute,
        String hostKey,
        String os,
        Integer cpus,
        Double memoryGB,
        Integer gpus,
        String containerEngine,
        Boolean python) implements ComputeProperties {

    public static final String TYPE = "VirtualMachine";

    @Override
    @JsonIgnore
    public String computeType() {
        return TYPE;
    }
}

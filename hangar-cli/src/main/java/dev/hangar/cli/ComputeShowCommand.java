package dev.hangar.cli;

import dev.hangar.api.ComputeInstanceProperties.Application;
import dev.hangar.api.ComputeInstanceProperties.SshSettings;
import dev.hangar.api.ComputeResource;
import dev.hangar.client.ComputeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Shows a compute and its state history (json: the compute only).",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute show -n ci1",
            "  hangar compute show -n ci1 -o json"})
final class ComputeShowCommand extends OneComputeCommand {
    ComputeShowCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var computes = connection.computes(workspace.id);
            var compute = computes.get(name);
            if (output.json()) {
                printJson(compute);
                return ExitCodes.OK;
            }
            details(compute, computes);
            out().println();
            out().println("History:");
            ComputeHistoryCommand.table(computes.history(name)).print(out());
            return ExitCodes.OK;
        }
    }

    private void details(ComputeResource compute, ComputeClient computes) {
        var properties = compute.properties();
        var instance = ComputeView.instance(compute);
        var fields = Table.fields();
        fields.row("Name", compute.name())
                .row("Id", compute.id())
                .row("Type", ComputeView.type(compute))
                .row("State", ComputeClient.stateOf(compute))
                .row("Provisioning state", properties == null ? null : properties.provisioningState())
                .row("VM size", ComputeView.vmSize(compute))
                .row("Location", compute.location())
                .row("Description", properties == null ? null : properties.description())
                .row("Created by", ComputeView.createdBy(compute))
                .row("Created on", properties == null ? null : properties.createdOn())
                .row("Modified on", properties == null ? null : properties.modifiedOn());
        if (instance != null) {
            var personal = instance.personalComputeInstanceSettings();
            fields.row("Assigned to", personal == null || personal.assignedUser() == null ? null
                    : personal.assignedUser().objectId());
            fields.row("SSH", ssh(instance.sshSettings()));
            computes.sshAddress(compute).ifPresent(address -> fields.row("SSH command",
                    ComputeSshCommand.quoted(address.command())));
            for (var application : instance.applications() == null ? List.<Application>of() : instance.applications()) {
                fields.row(application.displayName(), application.endpointUri());
            }
            if (instance.errors() != null) {
                instance.errors().stream().filter(e -> e != null && e.error() != null)
                        .forEach(e -> fields.row("Error", e.error().code() + ": " + e.error().message()));
            }
        }
        if (compute.tags() != null && !compute.tags().isEmpty()) {
            fields.row("Tags", compute.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .sorted().collect(Collectors.joining(", ")));
        }
        fields.print(out());
    }

    /** {@code Enabled (azureuser, port 50022)}; the user and port only when the server names them. */
    private static String ssh(SshSettings ssh) {
        if (ssh == null) {
            return null;
        }
        var details = new ArrayList<String>();
        if (ssh.adminUserName() != null) {
            details.add(ssh.adminUserName());
        }
        if (ssh.sshPort() != null) {
            details.add("port " + ssh.sshPort());
        }
        return ssh.sshPublicAccess() + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }
}

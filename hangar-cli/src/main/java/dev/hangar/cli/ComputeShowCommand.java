package dev.hangar.cli;

import dev.hangar.api.AmlComputeProperties;
import dev.hangar.api.AmlComputeProperties.NodeStateCounts;
import dev.hangar.api.ComputeInstanceProperties.Application;
import dev.hangar.api.ComputeInstanceProperties.ComputeStartStopSchedule;
import dev.hangar.api.ComputeInstanceProperties.LastOperation;
import dev.hangar.api.ComputeInstanceProperties.ScriptReference;
import dev.hangar.api.ComputeInstanceProperties.SshSettings;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.ErrorResponse;
import dev.hangar.api.SlurmProperties;
import dev.hangar.api.VirtualMachineProperties;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.InstanceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Shows a compute (json: as the server wrote it): an instance's apps, SSH, setup scripts, idle"
                + " shutdown, start/stop schedules, last operation and state history, a cluster's scale settings and"
                + " nodes, an attached Slurm cluster's connection (login node or REST URL), partition and nodes.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute show -n ci1",
            "  hangar compute show -n cpu-cluster",
            "  hangar compute show -n hpc",
            "  hangar compute show -n ci1 -o json"})
final class ComputeShowCommand extends OneComputeCommand {
    ComputeShowCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var computes = connection.computes(workspace);
            var compute = computes.get(name);
            if (output.json()) {
                printJson(compute);
                return ExitCodes.OK;
            }
            details(compute, computes).print(out());
            if (ComputeView.cluster(compute) == null && ComputeView.slurm(compute) == null
                    && ComputeView.virtualMachine(compute) == null) {
                // a cluster has no state history (the server refuses it): its nodes come and go, see list-nodes; nor
                // has an attached compute: Slurm runs it
                out().println();
                out().println("History:");
                ComputeHistoryCommand.table(computes.history(name)).wide(output.wide).print(out());
            }
            return ExitCodes.OK;
        }
    }

    /** The fields of a compute, as {@code show} prints them in a table (also after {@code attach}). */
    static Table details(ComputeResource compute, ComputeClient computes) {
        var properties = compute.properties();
        var instance = ComputeView.instance(compute);
        var slurm = ComputeView.slurm(compute);
        var fields = Table.fields();
        fields.row("Name", compute.name())
                .row("Id", compute.id())
                .row("Type", ComputeView.type(compute))
                .row("State", ComputeClient.stateOf(compute))
                .row("Provisioning state", properties == null ? null : properties.provisioningState());
        if (slurm == null) {
            fields.row("VM size", ComputeView.vmSize(compute));
        }
        fields.row("Location", compute.location())
                .row("Description", properties == null ? null : properties.description());
        if (instance != null) {
            fields.row("Created by", ComputeView.createdBy(compute));
        }
        fields.row("Created on", properties == null ? null : properties.createdOn())
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
            var scripts = instance.setupScripts() == null ? null : instance.setupScripts().scripts();
            if (scripts != null && scripts.creationScript() != null) {
                fields.row("Creation script", script(scripts.creationScript()));
            }
            if (scripts != null && scripts.startupScript() != null) {
                fields.row("Startup script", script(scripts.startupScript()));
            }
            fields.row("Idle shutdown", ComputeView.idleShutdown(compute));
            var schedules = instance.schedules() == null ? null : instance.schedules().computeStartStop();
            for (var schedule : schedules == null ? List.<ComputeStartStopSchedule>of() : schedules) {
                fields.row("Schedule", StartStopSchedules.describe(schedule));
            }
            fields.row("Last operation", lastOperation(instance.lastOperation()));
            errors(fields, instance.errors());
        }
        var cluster = ComputeView.cluster(compute);
        if (cluster != null) {
            cluster(fields, cluster);
        }
        if (slurm != null) {
            slurm(fields, slurm);
            errors(fields, properties.provisioningErrors());
        }
        var vm = ComputeView.virtualMachine(compute);
        if (vm != null) {
            virtualMachine(fields, vm);
            errors(fields, properties.provisioningErrors());
        }
        if (compute.tags() != null && !compute.tags().isEmpty()) {
            fields.row("Tags", pairs(compute.tags()));
        }
        return fields;
    }

    private static void virtualMachine(Table fields, VirtualMachineProperties vm) {
        fields.row("Address", vm.address() + ":" + (vm.sshPort() == null ? 22 : vm.sshPort()))
                .row("Host key", vm.hostKey())
                .row("Account", vm.administratorAccount() == null ? null : vm.administratorAccount().username())
                .row("System", vm.os())
                .row("CPUs", vm.cpus() == null ? null : vm.cpus().toString())
                .row("Memory", vm.memoryGB() == null ? null : vm.memoryGB() + " GB")
                .row("GPUs", vm.gpus() == null ? null : vm.gpus().toString())
                .row("Container engine", vm.containerEngine())
                .row("Python", vm.python() == null ? null : vm.python() ? "python3" : "none");
    }

    private static void slurm(Table fields, SlurmProperties slurm) {
        fields.row("Connection", slurm.connection());
        if ("Ssh".equalsIgnoreCase(slurm.connection())) {
            fields.row("Address", slurm.address() == null ? null
                    : slurm.address() + ":" + (slurm.sshPort() == null ? 22 : slurm.sshPort()))
                    .row("Host key", slurm.hostKey());
        } else if ("Rest".equalsIgnoreCase(slurm.connection())) {
            fields.row("REST URL", slurm.restUrl())
                    .row("REST user", slurm.restUser());
        }
        var account = slurm.account() != null ? slurm.account()
                : slurm.administratorAccount() == null ? null : slurm.administratorAccount().username();
        fields.row("Account", account == null ? null
                        : account + (Boolean.TRUE.equals(slurm.switchesUsers()) ? " (may run jobs as other accounts)" : ""))
                .row("Partition", slurm.partition())
                .row("Nodes", slurm.nodeCount() == null ? null : slurm.nodeCount() + (slurm.nodeCount() == 1
                        ? " node" : " nodes") + (slurm.cpusPerNode() == null ? "" : ", " + slurm.cpusPerNode()
                        + " CPUs each"))
                .row("Slurm version", slurm.slurmVersion())
                .row("Cluster name", slurm.clusterName())
                .row("Slurm conf", slurm.slurmConf())
                .row("Work directory", slurm.workDirectory())
                .row("Job user", slurm.jobUser())
                .row("User map", slurm.userMap() == null ? null : pairs(slurm.userMap()));
    }

    /** {@code a=1, b=2}, sorted. */
    private static String pairs(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                .collect(Collectors.joining(", "));
    }

    private static void cluster(Table fields, AmlComputeProperties cluster) {
        var scale = cluster.scaleSettings();
        fields.row("Tier", cluster.vmPriority())
                .row("Min nodes", scale == null ? null : scale.minNodeCount())
                .row("Max nodes", scale == null ? null : scale.maxNodeCount())
                .row("Idle before scale down", scale == null ? null
                        : ComputeView.seconds(scale.nodeIdleTimeBeforeScaleDown()))
                .row("Allocation state", cluster.allocationState() == null ? null : cluster.allocationState()
                        + (cluster.allocationStateTransitionTime() == null ? ""
                        : " since " + cluster.allocationStateTransitionTime()))
                .row("Current nodes", cluster.currentNodeCount())
                .row("Target nodes", cluster.targetNodeCount())
                .row("Node states", nodeStates(cluster.nodeStateCounts()));
        errors(fields, cluster.errors());
    }

    /** {@code 1 idle, 2 running, 0 preparing, 0 unusable, 0 leaving, 0 preempted}. */
    private static String nodeStates(NodeStateCounts counts) {
        return counts == null ? null : counts.idleNodeCount() + " idle, " + counts.runningNodeCount() + " running, "
                + counts.preparingNodeCount() + " preparing, " + counts.unusableNodeCount() + " unusable, "
                + counts.leavingNodeCount() + " leaving, " + counts.preemptedNodeCount() + " preempted";
    }

    private static void errors(Table fields, List<ErrorResponse> errors) {
        if (errors != null) {
            errors.stream().filter(e -> e != null && e.error() != null)
                    .forEach(e -> fields.row("Error", e.error().code() + ": " + e.error().message()));
        }
    }

    /**
     * {@code Users/alice/setup.sh (workspaceStorage), arguments --name 'a b', timeout 30m}; an inline script's text,
     * base64 on the wire, as {@code (inline)}.
     */
    private static String script(ScriptReference script) {
        var line = new StringBuilder(InstanceSpec.INLINE_SCRIPT.equalsIgnoreCase(script.scriptSource()) ? "(inline)"
                : script.scriptData() + " (" + script.scriptSource() + ")");
        if (script.scriptArguments() != null && !script.scriptArguments().isBlank()) {
            line.append(", arguments ").append(script.scriptArguments());
        }
        if (script.timeout() != null) {
            line.append(", timeout ").append(script.timeout());
        }
        return line.toString();
    }

    /**
     * {@code Stop by IdleShutdown, Succeeded, 2026-11-24T19:00:00Z}: what started it only when it was not a user
     * ({@code Schedule}, {@code IdleShutdown}).
     */
    private static String lastOperation(LastOperation operation) {
        if (operation == null || operation.operationName() == null) {
            return null;
        }
        var parts = new ArrayList<String>();
        parts.add(operation.operationName() + (operation.operationTrigger() == null
                || "User".equalsIgnoreCase(operation.operationTrigger()) ? "" : " by " + operation.operationTrigger()));
        if (operation.operationStatus() != null) {
            parts.add(operation.operationStatus());
        }
        if (operation.operationTime() != null) {
            parts.add(operation.operationTime().toString());
        }
        return String.join(", ", parts);
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

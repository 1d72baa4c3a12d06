package dev.hangar.server.arm;

import dev.hangar.api.AmlComputeNodeInformation;
import dev.hangar.api.Compute;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.ProvisioningState;
import dev.hangar.api.ComputeProperties;
import dev.hangar.api.SlurmProperties;
import dev.hangar.api.SparkProperties;
import dev.hangar.api.VirtualMachineProperties;
import dev.hangar.core.attached.AttachedService;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.AttachedView;
import dev.hangar.core.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders an attached compute in the ARM wire format, as Azure renders attached computes: {@code isAttachedCompute}
 * true, the outside resource's id, its connection without secrets, and what the engine said of itself.
 */
final class AttachedJson {

    private AttachedJson() {
    }

    static ComputeResource resource(AttachedView view, Workspace workspace) {
        var compute = view.compute();
        var properties = switch (compute.kind()) {
            case SparkProperties.TYPE -> spark(compute);
            case VirtualMachineProperties.TYPE -> VirtualMachineJson.properties(compute);
            default -> slurm(compute);
        };
        var errors = compute.errors().isEmpty() ? null : ComputeJson.errors(compute.errors());
        var envelope = new Compute(workspace.location(), compute.description(), compute.createdOn(),
                compute.modifiedOn(), compute.resourceId(), ProvisioningState.Succeeded, errors, true, false,
                properties);
        return new ComputeResource(workspace.armId() + "/computes/" + compute.name(), compute.name(),
                ComputeResource.TYPE, workspace.location(), compute.tags(), null, envelope);
    }

    private static ComputeProperties spark(AttachedCompute compute) {
        var settings = compute.settings();
        var engine = compute.engine();
        return new SparkProperties(settings.get("masterUrl"), settings.get("restUrl"), settings.get("webUiUrl"),
                settings.get("workDirectory"), engine == null || engine.version() == null ? null
                : engine.version().replaceFirst("^spark ", ""), engine == null ? null : engine.nodeCount(),
                engine == null ? null : engine.cpusPerNode());
    }

    private static ComputeProperties slurm(AttachedCompute compute) {
        var settings = compute.settings();
        var engine = compute.engine();
        return new SlurmProperties(settings.getOrDefault("connection",
                settings.containsKey("restUrl") ? "Rest" : settings.containsKey("address") ? "Ssh" : "Local"), settings.get("address"),
                settings.containsKey("sshPort") ? Integer.valueOf(settings.get("sshPort")) : null,
                settings.containsKey("username") ? new SlurmProperties.Credentials(settings.get("username"), null,
                        null, null, null) : null,
                settings.get("slurmConf"), engine == null ? settings.get("partition") : engine.partition(),
                settings.get("workDirectory"), settings.get("hostKey"), compute.jobUser().name(), compute.userMap(),
                engine == null ? null : engine.version(), engine == null ? null : engine.cluster(),
                engine == null ? null : engine.nodeCount(), engine == null ? null : engine.cpusPerNode(),
                engine == null ? null : engine.account(), engine == null ? null : engine.switchesUsers(),
                settings.get("restUrl"), settings.get("restUser"), null);
    }

    /** {@code listKeys}: the credentials, in the shape of Azure's {@code VirtualMachineSecrets}. */
    static Map<String, Object> keys(AttachedCompute compute) {
        var keys = VirtualMachineJson.keys(compute);
        if (!VirtualMachineJson.is(compute.kind())) {
            keys.put("restToken", compute.secrets().get("restToken"));
        }
        return keys;
    }

    /** One engine node for {@code listNodes}: its address as the engine knows it, and the jobs it runs. */
    static AmlComputeNodeInformation node(AttachedService.AttachedNode attached) {
        var node = attached.node();
        return new AmlComputeNodeInformation(node.name(), node.address(), null, null, node.state().name(),
                attached.runs().isEmpty() ? null : String.join(",", attached.runs()));
    }
}

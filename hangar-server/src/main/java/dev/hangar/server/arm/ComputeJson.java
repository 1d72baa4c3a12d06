package dev.hangar.server.arm;

import dev.hangar.api.Compute;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.ErrorResponse;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.setup.SetupScript;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationStatus;
import dev.hangar.core.workspace.Workspace;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Renders a compute instance in the ARM wire format, every key clients require present ({@code null} when empty). */
final class ComputeJson {
    /** Azure's admin user, which an instance whose backend is not configured here is shown with. */
    static final String ADMIN_USER = "azureuser";
    /** The state Azure shows for a running instance with jobs running on it. */
    static final String JOB_RUNNING = "JobRunning";

    private ComputeJson() {
    }

    /**
     * @param sshPort     the SSH gateway's port, or null when it is off
     * @param runningJobs whether jobs run on it: a running instance then shows {@code JobRunning}
     * @param adminUser   the instance's user as its backend names it ({@code sshSettings.adminUserName})
     */
    static ComputeResource resource(ComputeInstance compute, Workspace workspace, Operation last, String baseUrl,
                                    Integer sshPort, boolean runningJobs, String adminUser) {
        var failed = compute.state() == InstanceState.CreateFailed;
        var envelope = new Compute(workspace.location(), compute.description(), compute.createdOn(),
                compute.modifiedOn(), null, compute.state().provisioningState(),
                failed ? errors(compute.errors()) : null, false, false,
                properties(compute, workspace, last, baseUrl, sshPort, runningJobs, adminUser));
        return new ComputeResource(workspace.armId() + "/computes/" + compute.name(), compute.name(),
                ComputeResource.TYPE, workspace.location(), compute.tags(), null, envelope);
    }

    private static ComputeInstanceProperties properties(ComputeInstance compute, Workspace workspace, Operation last,
                                                        String baseUrl, Integer sshPort, boolean runningJobs,
                                                        String adminUser) {
        var state = runningJobs && compute.state() == InstanceState.Running ? JOB_RUNNING : compute.state().name();
        var enabled = compute.ssh().publicAccess();
        var ssh = new ComputeInstanceProperties.SshSettings(enabled ? "Enabled" : "Disabled", adminUser,
                enabled ? sshPort : null, compute.ssh().adminPublicKey());
        var createdBy = compute.createdBy() == null ? null : new ComputeInstanceProperties.CreatedBy(
                compute.createdBy().name(), compute.createdBy().tenantId(), compute.createdBy().objectId().toString());
        var assigned = compute.assignedUser() == null ? null
                : new ComputeInstanceProperties.PersonalComputeInstanceSettings(
                        new ComputeInstanceProperties.AssignedUser(compute.assignedUser().objectId().toString(),
                                compute.assignedUser().tenantId()));
        return new ComputeInstanceProperties(compute.vmSize(), null, compute.applicationSharingPolicy(), ssh,
                customServices(compute), null, endpoints(compute, baseUrl), applications(compute, workspace, baseUrl), createdBy,
                compute.errors().isEmpty() ? null : errors(compute.errors()), state, "personal",
                assigned, setupScripts(compute.setupScripts()), lastOperation(last), schedules(compute), false, null,
                compute.idleShutdown().isOn() ? compute.idleShutdown().idleTime().toString() : null);
    }

    /**
     * The setup scripts as they were asked for: an inline script's text stays base64; a timeout is {@code "<n>m"} as
     * Azure's clients read it, or ISO-8601 when it is not whole minutes.
     */
    private static ComputeInstanceProperties.SetupScripts setupScripts(SetupScripts scripts) {
        if (scripts.isEmpty()) {
            return null;
        }
        return new ComputeInstanceProperties.SetupScripts(new ComputeInstanceProperties.ScriptsToExecute(
                script(scripts.startup()), script(scripts.creation())));
    }

    private static ComputeInstanceProperties.ScriptReference script(SetupScript script) {
        return script == null ? null : new ComputeInstanceProperties.ScriptReference(script.source().name(),
                script.data(), script.arguments(), script.timeout().toSecondsPart() == 0 && script.timeout().toNanosPart() == 0
                ? script.timeout().toMinutes() + "m" : script.timeout().toString());
    }

    /** The custom services as they were asked for, in Azure's shape; null for none. */
    private static List<dev.hangar.api.CustomService> customServices(ComputeInstance compute) {
        if (compute.customServices().isEmpty()) {
            return null;
        }
        return compute.customServices().stream().map(service -> new dev.hangar.api.CustomService(service.name(),
                new dev.hangar.api.CustomService.Image("docker", service.image()),
                service.environment().isEmpty() ? null : new java.util.TreeMap<>(service.environment().entrySet()
                        .stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey,
                                entry -> new dev.hangar.api.CustomService.EnvironmentVariable("local",
                                        entry.getValue())))),
                new dev.hangar.api.CustomService.Docker(false),
                service.endpoints().stream().map(endpoint -> new dev.hangar.api.CustomService.Endpoint(
                        endpoint.protocol().name(), endpoint.name(), endpoint.target(), endpoint.published(),
                        endpoint.hostIp())).toList(),
                service.volumes().stream().map(volume -> new dev.hangar.api.CustomService.VolumeDefinition("bind",
                        volume.readOnly(), volume.source(), volume.target())).toList())).toList();
    }

    private static ComputeInstanceProperties.ComputeSchedules schedules(ComputeInstance compute) {
        if (compute.schedules().isEmpty()) {
            return null;
        }
        return new ComputeInstanceProperties.ComputeSchedules(compute.schedules().stream().map(schedule ->
                new ComputeInstanceProperties.ComputeStartStopSchedule(schedule.id(), "Completed",
                        schedule.enabled() ? "Enabled" : "Disabled", schedule.action().name(),
                        schedule.cron() != null ? "Cron" : "Recurrence", recurrence(schedule.recurrence()),
                        schedule.cron() == null ? null : new ComputeInstanceProperties.Cron(
                                text(schedule.cron().startTime()), schedule.cron().timeZone() == null ? "UTC"
                                : schedule.cron().timeZone(), schedule.cron().expression()))).toList());
    }

    private static ComputeInstanceProperties.Recurrence recurrence(ComputeSchedule.Recurrence recurrence) {
        if (recurrence == null) {
            return null;
        }
        return new ComputeInstanceProperties.Recurrence(recurrence.frequency().name(), recurrence.interval(),
                text(recurrence.startTime()), recurrence.timeZone() == null ? "UTC" : recurrence.timeZone(),
                new ComputeInstanceProperties.RecurrenceSchedule(recurrence.hours(), recurrence.minutes(),
                        recurrence.monthDays().isEmpty() ? null : recurrence.monthDays(),
                        recurrence.weekDays().isEmpty() ? null : recurrence.weekDays().stream().map(day ->
                                day.getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH))
                                .toList()));
    }

    private static String text(java.time.LocalDateTime startTime) {
        return startTime == null ? null : startTime.format(java.time.format.DateTimeFormatter.ofPattern(
                "yyyy-MM-dd'T'HH:mm:ss"));
    }

    /** The instance is reached only through Hangar, so its public address is Hangar's; its apps listen on loopback. */
    private static ComputeInstanceProperties.ConnectivityEndpoints endpoints(ComputeInstance compute, String baseUrl) {
        if (!compute.state().isReachable()) {
            return null;
        }
        return new ComputeInstanceProperties.ConnectivityEndpoints(URI.create(baseUrl).getHost(), "127.0.0.1");
    }

    private static List<ComputeInstanceProperties.Application> applications(ComputeInstance compute,
                                                                            Workspace workspace, String baseUrl) {
        if (!compute.state().isReachable()) {
            return List.of();
        }
        var apps = new ArrayList<ComputeInstanceProperties.Application>();
        compute.apps().stream().filter(app -> app.isAvailable())
                .map(app -> new ComputeInstanceProperties.Application(app.displayName(),
                        baseUrl + InstanceApps.basePath(workspace.name(), compute.name(), app.name())))
                .forEach(apps::add);
        // Served by Hangar through the instance's backend, so every running instance has it.
        apps.add(new ComputeInstanceProperties.Application(InstanceApps.TERMINAL_DISPLAY_NAME,
                baseUrl + InstanceApps.basePath(workspace.name(), compute.name(), InstanceApps.TERMINAL)));
        return List.copyOf(apps);
    }

    private static ComputeInstanceProperties.LastOperation lastOperation(Operation last) {
        if (last == null) {
            return null;
        }
        var status = switch (last.status()) {
            case InProgress -> "InProgress";
            case Succeeded -> "Succeeded";
            case Failed, Canceled -> last.kind().failedStatus();
        };
        return new ComputeInstanceProperties.LastOperation(last.kind().name(), last.startedOn(), status,
                last.trigger().name());
    }

    static List<ErrorResponse> errors(List<ComputeError> errors) {
        return errors.stream().map(error -> ErrorResponse.of(error.code(), error.message(), error.target())).toList();
    }

    static boolean isTerminal(Operation operation) {
        return operation.status() != OperationStatus.InProgress;
    }
}

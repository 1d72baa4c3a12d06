package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.custom.CustomService;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.InstanceContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An instance's custom services: one container each, {@code hangar-<computeId>-svc-<service>}, beside the instance's
 * own on the same engine network, with the instance's labels (so {@link DockerBackend#held()} finds them, and a
 * delete or orphan removal takes them) and {@value #LABEL_SERVICE} naming the service. They hold no state of their
 * own (what they keep is in the instance's folders they bind), so they are made anew at each start of the instance
 * and removed at each stop: a changed definition takes effect at the next start, and none is ever left behind.
 *
 * <p>Each endpoint's port is published on the host's 127.0.0.1 at a port the engine picks, where only Hangar's
 * gateway connects; each container gets the instance's size as its limits. Images are never pulled: one the engine
 * lacks fails the start with {@code CustomServiceImageNotFound} before anything is made.
 */
final class ServiceContainers {
    static final String LABEL_SERVICE = "dev.hangar.custom-service";

    private final DockerClient docker;
    private final DockerBackendConfig config;

    ServiceContainers(DockerClient docker, DockerBackendConfig config) {
        this.docker = docker;
        this.config = config;
    }

    static String container(UUID computeId, String service) {
        return InstanceResources.container(computeId) + "-svc-" + service;
    }

    /** Refuses, before anything is made, services whose images the engine does not have. */
    void requireImages(InstanceContext instance) {
        for (var service : instance.customServices()) {
            try {
                docker.inspectImageCmd(service.image()).exec();
            } catch (NotFoundException missing) {
                throw BackendException.fatal("CustomServiceImageNotFound", "The engine at " + config.host()
                        + " has no image " + service.image() + " for custom service '" + service.name() + "' of "
                        + instance.computeName() + ". Hangar never pulls images: load or build it into the engine"
                        + " first (podman load, podman build, docker load), or name an image it has.");
            }
        }
    }

    /**
     * Makes and starts every service of the instance, beside its running container {@code beside}; the ones made at
     * an earlier start go first. All or nothing: when one cannot be made or started, those made are removed again.
     */
    void start(InstanceContext instance, InspectContainerResponse beside, Map<String, String> labels) {
        removeAll(instance.computeId());
        if (instance.customServices().isEmpty()) {
            return;
        }
        var network = beside.getHostConfig() == null ? null : beside.getHostConfig().getNetworkMode();
        try {
            for (var service : instance.customServices()) {
                var name = container(instance.computeId(), service.name());
                create(instance, service, name, network, labels);
                docker.startContainerCmd(name).exec();
            }
        } catch (RuntimeException failure) {
            removeAll(instance.computeId());
            throw failure;
        }
    }

    private void create(InstanceContext instance, CustomService service, String name, String network,
                        Map<String, String> instanceLabels) {
        var labels = new HashMap<>(instanceLabels);
        labels.put(LABEL_SERVICE, service.name());
        var ports = service.endpoints().stream().map(endpoint -> ExposedPort.tcp(endpoint.target())).toList();
        var size = instance.size();
        var memory = (long) (size.memoryGb() * 1024 * 1024 * 1024);
        var host = HostConfig.newHostConfig()
                .withInit(true)
                .withPrivileged(false)
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(size.vCpus() * 1_000_000_000L)
                .withPidsLimit(config.processes())
                .withUlimits(List.of(new Ulimit("nofile", config.openFiles(), config.openFiles()),
                        new Ulimit("nproc", config.processes(), config.processes())))
                // Published on the host's loopback only: Hangar's gateway is the one way in.
                .withPortBindings(ports.stream().map(port -> new PortBinding(Ports.Binding.bindIp("127.0.0.1"),
                        port)).toList())
                .withBinds(binds(instance, service));
        if (network != null && !network.isBlank()) {
            host.withNetworkMode(network);
        }
        var environment = service.environment().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
        docker.createContainerCmd(service.image())
                .withName(name)
                .withHostName(service.name())
                .withLabels(labels)
                .withEnv(environment)
                .withExposedPorts(ports)
                .withHostConfig(host)
                .exec();
    }

    /** The instance's own folders the service asked for; the rules let no other source through. */
    private static List<Bind> binds(InstanceContext instance, CustomService service) {
        var binds = new ArrayList<Bind>();
        for (var volume : service.volumes()) {
            var mode = volume.readOnly() ? AccessMode.ro : AccessMode.rw;
            var target = volume.target().length() > 1 && volume.target().endsWith("/")
                    ? volume.target().substring(0, volume.target().length() - 1) : volume.target();
            switch (volume.kind()) {
                case HOME -> binds.add(new Bind(InstanceResources.homeVolume(instance.computeId()),
                        new Volume(target), mode));
                case FILE_SHARE -> binds.add(new Bind(share(instance, service), new Volume(target), mode));
                case CLOUD_FILES -> binds.add(new Bind(share(instance, service), new Volume(target + "/code"), mode));
            }
        }
        return binds;
    }

    private static String share(InstanceContext instance, CustomService service) {
        if (instance.fileShare() == null) {
            throw BackendException.fatal("FileShareUnavailable", "Custom service '" + service.name() + "' of "
                    + instance.computeName() + " asks for the file share, which this instance has none of.");
        }
        return instance.fileShare().toAbsolutePath().toString();
    }

    /** Removes every service container of the instance, running or not. */
    void removeAll(UUID computeId) {
        // A label named alone matches any value: every service of the instance.
        for (var container : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(
                InstanceResources.LABEL_INSTALL + "=" + config.installId(),
                InstanceResources.LABEL_COMPUTE + "=" + computeId, LABEL_SERVICE)).exec()) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
            } catch (NotFoundException gone) {
                // Removed meanwhile.
            }
        }
    }

    /**
     * Where each endpoint of the instance's services answers now, by app name: on the host's loopback while its
     * container runs, unavailable (and why) otherwise.
     */
    Map<String, AppEndpoint> endpoints(InstanceContext instance) {
        var result = new HashMap<String, AppEndpoint>();
        for (var service : instance.customServices()) {
            var container = inspect(container(instance.computeId(), service.name()));
            for (var endpoint : service.endpoints()) {
                var app = service.appName(endpoint);
                var display = service.displayName(endpoint);
                if (container.isEmpty()) {
                    result.put(app, AppEndpoint.unavailable(app, display, "its container is not there; it is made"
                            + " as the instance starts (restart the instance to start it)"));
                    continue;
                }
                var state = container.get().getState();
                if (!Boolean.TRUE.equals(state.getRunning())) {
                    result.put(app, AppEndpoint.unavailable(app, display, "its container stopped (exit code "
                            + state.getExitCodeLong() + (Boolean.TRUE.equals(state.getOOMKilled())
                            ? ", out of memory" : "") + "); restart the instance to start it again"));
                    continue;
                }
                result.put(app, publishedPort(container.get(), endpoint.target())
                        .map(port -> AppEndpoint.atRoot(app, display, URI.create("http://127.0.0.1:" + port)))
                        .orElseGet(() -> AppEndpoint.unavailable(app, display, "the engine did not publish port "
                                + endpoint.target())));
            }
        }
        return result;
    }

    private Optional<InspectContainerResponse> inspect(String name) {
        try {
            return Optional.of(docker.inspectContainerCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The host port the engine published {@code target} of {@code container} on (Jupyter's, a service's). */
    static Optional<Integer> publishedPort(InspectContainerResponse container, int target) {
        var ports = container.getNetworkSettings() == null ? null : container.getNetworkSettings().getPorts();
        var bindings = ports == null || ports.getBindings() == null ? null
                : ports.getBindings().get(ExposedPort.tcp(target));
        if (bindings == null) {
            return Optional.empty();
        }
        for (var binding : bindings) {
            var spec = binding.getHostPortSpec();
            if (spec != null && !spec.isBlank() && !spec.equals("0")) {
                return Optional.of(Integer.parseInt(spec));
            }
        }
        return Optional.empty();
    }
}

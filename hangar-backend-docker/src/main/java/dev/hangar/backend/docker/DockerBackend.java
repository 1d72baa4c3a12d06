package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.files.ShareOwner;
import dev.hangar.core.spi.AppReadiness;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.BlockingBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.spi.Observation;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs compute instances as containers of a Docker Engine API: Docker, or Podman's Docker-compatible service. An
 * instance is a container {@code hangar-<computeId>} from the instance image, started with an init, plus two named
 * volumes: {@code hangar-<computeId>-home} at {@code /home/azureuser} and {@code hangar-<computeId>-envs} at
 * {@code /opt/hangar/envs} (the user's venvs and kernels). All three carry Hangar's labels (install id, compute id,
 * workspace, name), which is how {@link #held()} finds them after a restart. The workspace's file share, a folder on
 * Hangar's disk, is bound at {@code ~/cloudfiles/code}: the engine must see Hangar's disk (a local socket, or an engine
 * on the same host). Under a rootful engine {@code azureuser} is uid and gid 1000 on the host too, to whom Hangar gives
 * what it writes in the share ({@link #shareOwner()}).
 *
 * <p>The VM size becomes the container's limits: CPUs (nano-CPUs), memory (swap included, so no more than the size),
 * pids, and GPUs requested from the engine when the size has any. Open files and processes get explicit ulimits.
 * Jupyter listens on the container's port 8888, published on the host's 127.0.0.1 only, at a port the engine picks
 * anew at each start; its token lives in the container's environment.
 *
 * <p>An instance's custom services are containers beside it ({@link ServiceContainers}), made once Jupyter answers
 * at each start and removed at each stop, delete and orphan removal; an image the engine lacks fails the start
 * ({@code CustomServiceImageNotFound}) before anything is made.
 *
 * <p>Stop stops the container and keeps it and its volumes; start starts it again (or makes it again over the same
 * volumes if someone removed it); delete removes the container and both volumes. Every call runs on a virtual
 * thread ({@link BlockingBackend}) and is idempotent. Engine failures become {@link BackendException}s that
 * say what to do: {@code EngineUnreachable} (retryable), {@code ImageNotFound}, {@code UlimitRefused},
 * {@code SizeExceedsMachine}, {@code OutOfMemory}, {@code JupyterStartFailed} and {@code JupyterStartTimeout} (with the
 * container's last output), {@code EngineError}.
 */
public final class DockerBackend extends BlockingBackend {
    public static final String NAME = "docker";

    private static final Logger LOG = LoggerFactory.getLogger(DockerBackend.class);
    /** As the local backend: an app must miss two observations in a row before it is reported unavailable. */
    static final int MISSES_BEFORE_UNAVAILABLE = 2;
    private static final int LOG_LINES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DockerClient docker;
    private final DockerBackendConfig config;
    private final EngineCapacity capacity;
    private final AppReadiness readiness = new AppReadiness();
    private final DockerSessions sessions;
    private final ServiceContainers services;
    private final Map<UUID, Integer> misses = new ConcurrentHashMap<>();

    DockerBackend(DockerClient docker, DockerBackendConfig config, EngineCapacity capacity) {
        super(NAME, failure -> EngineErrors.translate(failure, config.host(), config.image()));
        this.docker = docker;
        this.config = config;
        this.capacity = capacity;
        this.sessions = new DockerSessions(docker, config);
        this.services = new ServiceContainers(docker, config);
    }

    @Override
    protected List<AppEndpoint> provisionNow(InstanceContext instance) {
        capacity.check(instance.size());
        services.requireImages(instance);
        var labels = labels(instance);
        ensureVolume(InstanceResources.homeVolume(instance.computeId()), labels);
        ensureVolume(InstanceResources.envsVolume(instance.computeId()), labels);
        // Looked for first: Podman answers a create over an existing name with a bare 500, not Docker's 409.
        var container = inspect(instance.computeId());
        if (container.isEmpty()) {
            container = create(instance) ? Optional.empty() : inspect(instance.computeId());
        }
        return run(instance, container);
    }

    @Override
    protected List<AppEndpoint> startNow(InstanceContext instance) {
        services.requireImages(instance);
        var container = inspect(instance.computeId());
        if (container.isEmpty()) {
            // Removed behind Hangar's back: made again over the same volumes, which must be there.
            if (volume(InstanceResources.homeVolume(instance.computeId())).isEmpty()) {
                throw BackendException.fatal("InstanceNotFound", "Compute " + instance.computeName()
                        + " has no home volume " + InstanceResources.homeVolume(instance.computeId())
                        + "; it must be provisioned first");
            }
            capacity.check(instance.size());
            container = create(instance) ? Optional.empty() : inspect(instance.computeId());
        }
        return run(instance, container);
    }

    @Override
    public String instanceUser(java.util.UUID computeId) {
        return InstanceContainer.USER;
    }

    /** The image's {@code azureuser}: the same numbers on the host under a rootful engine. */
    @Override
    public Optional<ShareOwner> shareOwner() {
        return Optional.of(new ShareOwner(InstanceContainer.UID, InstanceContainer.UID));
    }

    /** Ends the engine connection; every container keeps running. */
    @Override
    protected void release() {
        readiness.close();
        try {
            docker.close();
        } catch (IOException e) {
            LOG.warn("Closing the engine client failed: {}", e.toString());
        }
    }

    @Override
    protected void stopNow(UUID computeId) {
        misses.remove(computeId);
        // The services go first: they hold nothing of their own, and are made anew at the next start.
        services.removeAll(computeId);
        var container = inspect(computeId);
        if (container.isEmpty() || !Boolean.TRUE.equals(container.get().getState().getRunning())) {
            return;
        }
        try {
            docker.stopContainerCmd(InstanceResources.container(computeId))
                    .withTimeout((int) Math.max(1, config.stopGrace().toSeconds())).exec();
        } catch (NotModifiedException | NotFoundException alreadyDone) {
            // Stopped or removed meanwhile: what was asked for.
        }
    }

    @Override
    protected void deleteNow(UUID computeId) {
        misses.remove(computeId);
        // A job's container shares the home: it goes first, or the volume could not.
        sessions.removeJobContainers(computeId, null);
        services.removeAll(computeId);
        try {
            docker.removeContainerCmd(InstanceResources.container(computeId)).withForce(true).exec();
        } catch (NotFoundException gone) {
            // Nothing to remove.
        }
        removeVolume(InstanceResources.homeVolume(computeId));
        removeVolume(InstanceResources.envsVolume(computeId));
    }

    @Override
    protected Observation observeNow(InstanceContext instance) {
        var container = inspect(instance.computeId());
        if (container.isEmpty()) {
            // Volumes without a container: stopped; start makes the container again over the same volumes.
            return volume(InstanceResources.homeVolume(instance.computeId())).isPresent()
                    ? new Observation.Stopped() : new Observation.Missing();
        }
        var state = container.get().getState();
        if (!Boolean.TRUE.equals(state.getRunning())) {
            return new Observation.Stopped(exitCause(instance, state));
        }
        return new Observation.Running(endpointsNow(instance, container.get()));
    }

    /**
     * Why a container that Hangar did not stop ended, as far as the engine knows: out of memory, or its main
     * process's exit code. Null for an exit Hangar's own stop causes (0, or SIGTERM's 143), since then the reconciler
     * asked for it.
     */
    private static String exitCause(InstanceContext instance, InspectContainerResponse.ContainerState state) {
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            return "it ran out of memory: " + instance.size().name() + " allows " + instance.size().memoryGb()
                    + " GB; choose a larger size";
        }
        var code = state.getExitCodeLong();
        if (code == null || code == 0 || code == 143) {
            return null;
        }
        return "its main process exited with " + code + (code == 137 ? " (killed)" : "");
    }

    @Override
    protected List<HeldInstance> heldNow() {
        var found = new LinkedHashMap<UUID, String>();
        var ours = Map.of(InstanceResources.LABEL_INSTALL, config.installId());
        for (var container : docker.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec()) {
            InstanceResources.computeId(container.getLabels()).ifPresent(id ->
                    found.putIfAbsent(id, "container " + InstanceResources.container(id)));
        }
        var volumes = docker.listVolumesCmd()
                .withFilter("label", List.of(InstanceResources.LABEL_INSTALL + "=" + config.installId())).exec();
        if (volumes.getVolumes() != null) {
            for (var volume : volumes.getVolumes()) {
                InstanceResources.computeId(volume.getLabels()).ifPresent(id ->
                        found.putIfAbsent(id, "volume " + volume.getName()));
            }
        }
        return found.entrySet().stream().map(entry -> new HeldInstance(entry.getKey(), entry.getValue())).toList();
    }

    /**
     * Starts the container unless it runs, and waits for its apps. {@code known} is the container as inspected, or
     * empty for one just made (known not to run): each engine call costs tens of milliseconds on Podman.
     */
    private List<AppEndpoint> run(InstanceContext instance, Optional<InspectContainerResponse> known) {
        var container = known;
        if (container.isEmpty() || !Boolean.TRUE.equals(container.get().getState().getRunning())) {
            try {
                docker.startContainerCmd(InstanceResources.container(instance.computeId())).exec();
            } catch (NotModifiedException alreadyRunning) {
                // Started meanwhile: what was asked for.
            }
            container = inspect(instance.computeId());
        }
        var running = container.orElseThrow(() -> BackendException.retryable("ContainerVanished",
                "The container of " + instance.computeName() + " was removed while it was being started", null));
        awaitJupyter(instance, endpoints(instance, running));
        try {
            services.start(instance, running, labels(instance));
        } catch (RuntimeException failure) {
            // Nothing runs half: an instance whose services cannot start is stopped, and says why.
            stopNow(instance.computeId());
            throw failure;
        }
        misses.remove(instance.computeId());
        return endpoints(instance, running);
    }

    /** Makes the container; false when an earlier, interrupted call had made it already (its state is unknown). */
    private boolean create(InstanceContext instance) {
        var id = instance.computeId();
        var container = new InstanceContainer(config.image(), InstanceResources.container(id), instance.computeName(),
                labels(instance), instance.size(), config.openFiles(), config.processes(),
                InstanceResources.homeVolume(id), InstanceResources.envsVolume(id),
                instance.fileShare() == null ? null : instance.fileShare().toAbsolutePath().toString(),
                InstanceContainer.environment(HexFormat.of().formatHex(randomBytes()), jupyterBasePath(instance),
                        instance.computeName(), instance.workspaceName()));
        try {
            container.createCommand(docker)
                    .exec();
            return true;
        } catch (ConflictException exists) {
            // Made by an earlier, interrupted call: adopt it.
            return false;
        }
    }

    private List<AppEndpoint> endpoints(InstanceContext instance, InspectContainerResponse container) {
        var result = new ArrayList<AppEndpoint>();
        var custom = instance.customServices().isEmpty() ? Map.<String, AppEndpoint>of()
                : services.endpoints(instance);
        for (var app : instance.apps()) {
            if (custom.containsKey(app.name())) {
                result.add(custom.get(app.name()));
                continue;
            }
            if (!app.name().equals(InstanceApps.JUPYTER)) {
                result.add(AppEndpoint.unavailable(app.name(), app.displayName(),
                        "the container backend does not offer " + app.displayName() + " yet"));
                continue;
            }
            var port = ServiceContainers.publishedPort(container, InstanceContainer.JUPYTER_PORT)
                    .orElseThrow(() -> BackendException.retryable("PortNotPublished",
                            "The engine did not publish Jupyter's port of " + instance.computeName(), null));
            result.add(AppEndpoint.available(app.name(), app.displayName(), URI.create("http://127.0.0.1:" + port),
                    Map.of("Authorization", "token " + token(container))));
        }
        return result;
    }

    private List<AppEndpoint> endpointsNow(InstanceContext instance, InspectContainerResponse container) {
        var endpoints = endpoints(instance, container);
        var jupyter = endpoints.stream().filter(app -> app.name().equals(InstanceApps.JUPYTER) && app.isAvailable())
                .findFirst();
        if (jupyter.isEmpty() || readiness.answers(probeUrl(instance, jupyter.get()), jupyter.get().headers())) {
            misses.remove(instance.computeId());
            return endpoints;
        }
        if (misses.merge(instance.computeId(), 1, Integer::sum) < MISSES_BEFORE_UNAVAILABLE) {
            return endpoints;
        }
        return endpoints.stream().map(app -> app.name().equals(InstanceApps.JUPYTER)
                ? AppEndpoint.unavailable(app.name(), app.displayName(), app.displayName()
                        + " runs but does not answer at " + probeUrl(instance, app))
                : app).toList();
    }

    private void awaitJupyter(InstanceContext instance, List<AppEndpoint> endpoints) {
        var jupyter = endpoints.stream().filter(app -> app.name().equals(InstanceApps.JUPYTER) && app.isAvailable())
                .findFirst();
        if (jupyter.isEmpty()) {
            return;
        }
        var deadline = Instant.now().plus(config.readyTimeout());
        var outcome = readiness.await(probeUrl(instance, jupyter.get()), jupyter.get().headers(), deadline,
                () -> inspect(instance.computeId()).map(found -> Boolean.TRUE.equals(found.getState().getRunning()))
                        .orElse(false));
        switch (outcome) {
            case READY -> { }
            case EXITED -> {
                var state = inspect(instance.computeId()).map(InspectContainerResponse::getState);
                var why = state.map(s -> Boolean.TRUE.equals(s.getOOMKilled()) ? "it ran out of memory"
                        : "it exited with " + s.getExitCodeLong()).orElse("it was removed");
                throw BackendException.fatal("JupyterStartFailed", "The container of " + instance.computeName()
                        + " stopped before Jupyter answered: " + why + ". Its last output:\n" + logTail(instance));
            }
            case TIMED_OUT -> {
                var tail = logTail(instance);
                stopNow(instance.computeId());
                // A slow machine may do better on the next try, which starts the container again.
                throw BackendException.retryable("JupyterStartTimeout", "Jupyter in " + instance.computeName()
                        + " did not answer within " + config.readyTimeout() + ". Its last output:\n" + tail, null);
            }
        }
    }

    private String logTail(InstanceContext instance) {
        var lines = new ArrayList<String>();
        try (var callback = docker.logContainerCmd(InstanceResources.container(instance.computeId()))
                .withStdOut(true).withStdErr(true).withTail(LOG_LINES)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        lines.add(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
                    }
                })) {
            callback.awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | java.io.IOException e) {
            return "(its log could not be read: " + e.getMessage() + ")";
        }
        return String.join("\n", lines);
    }

    @Override
    public boolean runsImages() {
        return true;
    }

    /** Each a container beside the instance's ({@link ServiceContainers}). */
    @Override
    public boolean runsCustomServices() {
        return true;
    }

    /** A node's address on the engine's network, where the other containers of a job reach it. */
    @Override
    protected String addressNow(InstanceContext instance) {
        var settings = inspect(instance.computeId()).map(InspectContainerResponse::getNetworkSettings).orElse(null);
        var address = settings == null ? null : settings.getNetworks() == null ? null
                : settings.getNetworks().values().stream().map(network -> network.getIpAddress())
                        .filter(ip -> ip != null && !ip.isBlank()).findFirst().orElse(null);
        if (address == null) {
            throw BackendException.fatal("NodeAddressUnavailable", "Container of " + instance.computeName()
                    + " has no address on the engine's network, so other nodes cannot reach it.");
        }
        return address;
    }

    private Optional<InspectContainerResponse> inspect(UUID computeId) {
        try {
            return Optional.of(docker.inspectContainerCmd(InstanceResources.container(computeId)).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private Optional<String> volume(String name) {
        try {
            return Optional.of(docker.inspectVolumeCmd(name).exec().getName());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Creates the volume unless it exists: Docker answers an existing name with that volume, Podman with 409. */
    private void ensureVolume(String name, Map<String, String> labels) {
        try {
            docker.createVolumeCmd().withName(name).withLabels(labels).exec();
        } catch (ConflictException exists) {
            // Made meanwhile.
        }
    }

    private void removeVolume(String name) {
        try {
            docker.removeVolumeCmd(name).exec();
        } catch (NotFoundException gone) {
            // Nothing to remove.
        }
    }

    private Map<String, String> labels(InstanceContext instance) {
        return InstanceResources.labels(config.installId(), instance.computeId(), instance.workspaceName(),
                instance.computeName());
    }

    private static URI probeUrl(InstanceContext instance, AppEndpoint jupyter) {
        return URI.create(jupyter.target() + jupyterBasePath(instance) + "api");
    }

    private static String jupyterBasePath(InstanceContext instance) {
        return instance.apps().stream().filter(app -> app.name().equals(InstanceApps.JUPYTER)).findFirst()
                .map(InstanceContext.AppSpec::basePath)
                .orElse(InstanceApps.basePath(instance.workspaceName(), instance.computeName(), InstanceApps.JUPYTER));
    }

    private static String token(InspectContainerResponse container) {
        var env = container.getConfig() == null ? null : container.getConfig().getEnv();
        if (env != null) {
            for (var entry : env) {
                if (entry.startsWith("JUPYTER_TOKEN=")) {
                    return entry.substring("JUPYTER_TOKEN=".length());
                }
            }
        }
        throw BackendException.fatal("TokenMissing", "Container " + container.getName()
                + " has no JUPYTER_TOKEN; it was not made by Hangar");
    }

    private static byte[] randomBytes() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    protected InstanceSession openNow(InstanceContext instance, SessionRequest request) {
        return sessions.open(instance, request);
    }

    @Override
    protected void endProcessesNow(InstanceContext instance, java.util.Set<String> markers) {
        sessions.removeJobContainers(instance.computeId(), markers);
        try {
            sessions.endMarked(instance, markers);
        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
            // No container: nothing runs that could be ended.
        }
    }
}

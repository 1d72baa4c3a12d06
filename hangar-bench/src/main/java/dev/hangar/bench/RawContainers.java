package dev.hangar.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ExposedPort;
import dev.hangar.backend.docker.DockerBackendConfig;
import dev.hangar.backend.docker.DockerBackendProvider;
import dev.hangar.backend.docker.InstanceContainer;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.spi.AppReadiness;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw engine baseline: the very container Hangar's docker backend makes for an instance, made and started straight
 * through the Engine API by the same client library (docker-java, zerodep transport) on the same engine, with nothing
 * of Hangar in between. Timed like {@link InstanceBench}: create (two volumes, the container, start) → Jupyter
 * answers → first cell straight at Jupyter; stop (not timed); start → Jupyter answers → first cell.
 *
 * <p>The container is made from the container backend's own recipe ({@link InstanceContainer}): the image, an init,
 * memory (swap the same, so none beyond it), nano-CPUs and pids from the VM size, the {@code nofile} and
 * {@code nproc} ulimits, Jupyter's port published on 127.0.0.1 at a port the engine picks, the home and envs volumes,
 * the host name and the environment the image's entrypoint reads. Only names and labels differ: everything here carries {@value #LABEL}{@code =<run id>}, which is how it is removed,
 * whatever happened. Readiness is Hangar's own probe ({@link AppReadiness}: {@code GET <base>api} with the token,
 * 200 meaning ready, every 25 ms), asking the engine whether the container still runs only now and then, as Hangar
 * does.
 */
final class RawContainers implements InstanceSubject, AutoCloseable {
    /** The label on every container and volume of the baseline; its value is the bench run's id. */
    static final String LABEL = "dev.hangar.bench";
    private static final int JUPYTER_PORT = InstanceContainer.JUPYTER_PORT;
    private static final Duration PROBE = Duration.ofMillis(25);
    // How often a container that does not answer yet is checked for having exited (every 250 ms for Hangar too).
    private static final int PROBES_PER_LIVENESS_CHECK = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DockerClient docker;
    private final String image;
    private final String runId;
    private final String workspace;
    private final VmSize size;
    private final long openFiles;
    private final long processes;
    private final AppReadiness readiness = new AppReadiness();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /**
     * @param dockerHost the engine's address, as Hangar's server is given it
     * @param workspace  the workspace name Hangar's instances are in, for the same Jupyter base path
     */
    RawContainers(String dockerHost, String image, String runId, String workspace, VmSize size, long openFiles,
                  long processes) {
        this.docker = DockerBackendProvider.connect(URI.create(dockerHost));
        this.image = image;
        this.runId = runId;
        this.workspace = workspace;
        this.size = size;
        this.openFiles = openFiles;
        this.processes = processes;
    }

    /** The engine's version, as it reports it ({@code GET /version}). */
    String engineVersion() {
        var version = docker.versionCmd().exec();
        var components = version.getComponents();
        var name = components != null && !components.isEmpty() ? components.getFirst().getName() : "Engine";
        return name + " " + version.getVersion() + " (API " + version.getApiVersion() + ")";
    }

    @Override
    public String what() {
        return "raw engine";
    }

    @Override
    public InstanceBench.Timing create(String name) {
        var begin = System.nanoTime();
        var labels = Map.of(LABEL, runId, LABEL + ".name", name);
        docker.createVolumeCmd().withName(homeVolume(name)).withLabels(labels).exec();
        docker.createVolumeCmd().withName(envsVolume(name)).withLabels(labels).exec();
        var token = HexFormat.of().formatHex(randomBytes());
        tokens.put(name, token);
        new InstanceContainer(image, container(name), name, labels, size, openFiles, processes, homeVolume(name),
                envsVolume(name), null, InstanceContainer.environment(token, basePath(name), name, workspace))
                .createCommand(docker).exec();
        docker.startContainerCmd(container(name)).exec();
        return ready(name, begin, System.nanoTime());
    }

    @Override
    public void stopAll(List<String> names) {
        for (var name : names) {
            try {
                docker.stopContainerCmd(container(name))
                        .withTimeout((int) Math.max(1, DockerBackendConfig.DEFAULT_STOP_GRACE.toSeconds())).exec();
            } catch (NotModifiedException alreadyStopped) {
                // what was asked for
            }
        }
    }

    @Override
    public InstanceBench.Timing start(String name) {
        var begin = System.nanoTime();
        docker.startContainerCmd(container(name)).exec();
        return ready(name, begin, System.nanoTime());
    }

    /** Reads the port the engine published Jupyter on, waits until Jupyter answers, then runs the first cell. */
    private InstanceBench.Timing ready(String name, long begin, long accepted) {
        var token = tokens.get(name);
        var base = URI.create("http://127.0.0.1:" + publishedPort(name) + basePath(name));
        var probe = base.resolve("api");
        var headers = Map.of("Authorization", "token " + token);
        var deadline = System.nanoTime() + DockerBackendConfig.DEFAULT_READY_TIMEOUT.toNanos();
        for (int probes = 1; !readiness.answers(probe, headers); probes++) {
            if (probes % PROBES_PER_LIVENESS_CHECK == 0 && !running(name)) {
                throw new IllegalStateException("The raw container " + container(name)
                        + " stopped before Jupyter answered");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Jupyter in the raw container " + container(name)
                        + " did not answer at " + probe + " within " + DockerBackendConfig.DEFAULT_READY_TIMEOUT);
            }
            sleep(PROBE);
        }
        var running = System.nanoTime();
        var times = FirstCell.direct(token).run(base);
        return new InstanceBench.Timing(accepted - begin, running - begin, times.kernelStarted() - begin,
                times.answered() - begin);
    }

    private int publishedPort(String name) {
        var ports = docker.inspectContainerCmd(container(name)).exec().getNetworkSettings().getPorts();
        var bindings = ports == null || ports.getBindings() == null ? null
                : ports.getBindings().get(ExposedPort.tcp(JUPYTER_PORT));
        if (bindings != null) {
            for (var binding : bindings) {
                var spec = binding.getHostPortSpec();
                if (spec != null && !spec.isBlank() && !spec.equals("0")) {
                    return Integer.parseInt(spec);
                }
            }
        }
        throw new IllegalStateException("The engine did not publish Jupyter's port of " + container(name));
    }

    private boolean running(String name) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(container(name)).exec().getState().getRunning());
    }

    private String container(String name) {
        return "hangar-bench-" + runId + "-" + name;
    }

    private String homeVolume(String name) {
        return container(name) + "-home";
    }

    private String envsVolume(String name) {
        return container(name) + "-envs";
    }

    private String basePath(String name) {
        return InstanceApps.basePath(workspace, name, InstanceApps.JUPYTER);
    }

    private static byte[] randomBytes() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Jupyter", e);
        }
    }

    /** Ends the engine connection; removing the containers and volumes is {@link ContainerBench}'s, by label. */
    @Override
    public void close() {
        readiness.close();
        try {
            docker.close();
        } catch (IOException e) {
            System.err.println("WARNING: closing the engine client failed: " + e.getMessage());
        }
    }
}

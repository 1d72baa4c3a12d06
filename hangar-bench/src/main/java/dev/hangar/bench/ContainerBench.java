package dev.hangar.bench;

import dev.hangar.backend.docker.DockerBackendConfig;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The container section of the report: a Podman API service of the bench's own ({@link PodmanEngine}, on Hangar's
 * {@code containers.conf} from {@code bin/lib/containers.sh}), a Hangar server on its docker backend against it, and
 * beside it the raw engine baseline ({@link RawContainers}) on the same engine, with the same image and container
 * settings, run in lockstep with Hangar's instances ({@link InstanceBench#interleaved}).
 *
 * <p>Afterwards every compute is deleted through Hangar, what Hangar left (containers and volumes labelled with its
 * install id) is counted, then removed anyway together with the baseline's (labelled {@value RawContainers#LABEL}),
 * and the service is stopped. A shutdown hook does the same after Ctrl+C.
 */
final class ContainerBench {
    static final String INSTALL_LABEL = "dev.hangar.install";

    /** What the section came to. */
    sealed interface Section permits Measured, Skipped {
    }

    /**
     * @param hangar    instances on Hangar's docker backend
     * @param raw       the same sequence straight on the engine
     * @param leftovers Hangar's containers and volumes still there after every compute was deleted through Hangar
     * @param remaining containers and volumes of Hangar's or the baseline's still there after the bench removed them
     * @param image     the instance image both ran
     * @param engine    the engine's name and version
     */
    record Measured(InstanceBench.Results hangar, InstanceBench.Results raw, int leftovers, int remaining,
                    String image, String engine) implements Section {
    }

    /** The section did not run; {@code reason} says why and what would make it run. */
    record Skipped(String reason) implements Section {
    }

    private ContainerBench() {
    }

    /**
     * Runs the section, or returns why it cannot when {@code required} is false.
     *
     * @param whileUp runs on the container server after the instance figures, before everything is deleted
     * @throws IllegalStateException when {@code required} and Podman or the image is missing
     */
    static Section run(int count, boolean required, Consumer<String> progress, Consumer<BenchServer> whileUp) {
        String image;
        try {
            image = InstanceImage.reference();
        } catch (RuntimeException e) {
            return skipOrThrow(required, e);
        }
        progress.accept("containers: starting a Podman service");
        PodmanEngine engine;
        try {
            engine = PodmanEngine.start();
        } catch (RuntimeException e) {
            return skipOrThrow(required, e);
        }
        try {
            return measure(engine, image, count, progress, whileUp);
        } finally {
            engine.close();
        }
    }

    /**
     * Checks, in a second and before anything is started, what the section needs: Podman with runc, catatonit and
     * netavark, and the instance image in its storage.
     *
     * @throws IllegalStateException saying what is missing and how to get it
     */
    static void requireAvailable() {
        try {
            InstanceImage.reference();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The container section cannot run: " + e.getMessage(), e);
        }
    }

    private static Skipped skipOrThrow(boolean required, RuntimeException e) {
        if (required) {
            throw new IllegalStateException("The container section cannot run: " + e.getMessage(), e);
        }
        return new Skipped(e.getMessage());
    }

    private static Measured measure(PodmanEngine engine, String image, int count, Consumer<String> progress,
                                    Consumer<BenchServer> whileUp) {
        var runId = UUID.randomUUID().toString().substring(0, 8);
        var size = VmSizeCatalog.defaults().find(InstanceBench.SIZE)
                .orElseThrow(() -> new IllegalStateException("No VM size " + InstanceBench.SIZE));
        var installId = new AtomicReference<String>();
        var serverPid = new AtomicReference<Long>();
        var onInterrupt = Thread.ofPlatform().unstarted(() -> {
            // The server goes with the bench's process group (and BenchServer's own hook): let it end first, so that
            // it makes nothing after the removal.
            var pid = serverPid.get();
            if (pid != null) {
                ProcessHandle.of(pid).ifPresent(server -> {
                    try {
                        server.onExit().get(25, TimeUnit.SECONDS);
                    } catch (Exception stillThere) {
                        server.destroyForcibly();
                    }
                });
            }
            removeQuietly(engine, runId, installId.get());
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        var removed = false;
        try {
            progress.accept("containers: image " + image + "; starting a Hangar server on its docker backend at "
                    + engine.dockerHost());
            var server = BenchServer.start(Map.of(
                    "HANGAR_BACKEND_DEFAULT", "docker",
                    "HANGAR_BACKEND_DOCKER_HOST", engine.dockerHost(),
                    "HANGAR_BACKEND_DOCKER_IMAGE", image,
                    // The defaults, stated: the baseline's containers get exactly these.
                    "HANGAR_BACKEND_DOCKER_OPEN_FILES", Long.toString(DockerBackendConfig.DEFAULT_OPEN_FILES),
                    "HANGAR_BACKEND_DOCKER_PROCESSES", Long.toString(DockerBackendConfig.DEFAULT_PROCESSES)));
            installId.set(server.installId());
            serverPid.set(server.pid());
            List<InstanceBench.Results> results;
            String engineVersion;
            try (server; var raw = new RawContainers(engine.dockerHost(), image, runId, server.workspace().name(),
                    size, DockerBackendConfig.DEFAULT_OPEN_FILES, DockerBackendConfig.DEFAULT_PROCESSES)) {
                engineVersion = raw.engineVersion();
                progress.accept("containers: server at " + server.url() + " on " + engineVersion
                        + "; Hangar and the raw engine in lockstep");
                results = InstanceBench.interleaved(count, List.of(new InstanceBench(server, progress), raw),
                        progress);
                whileUp.accept(server);
                progress.accept("containers: deleting the instances and stopping the server");
            }
            var leftovers = labelled(engine, INSTALL_LABEL, installId.get());
            engine.removeLabelled(INSTALL_LABEL, installId.get());
            engine.removeLabelled(RawContainers.LABEL, runId);
            removed = true;
            var remaining = labelled(engine, INSTALL_LABEL, installId.get())
                    + labelled(engine, RawContainers.LABEL, runId);
            if (remaining > 0) {
                progress.accept("containers: WARNING: " + remaining + " containers and volumes labelled "
                        + INSTALL_LABEL + "=" + installId.get() + " or " + RawContainers.LABEL + "=" + runId
                        + " are still there");
            }
            return new Measured(results.get(0), results.get(1), leftovers, remaining, image, engineVersion);
        } finally {
            var hookRemoved = true;
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                hookRemoved = false; // the hook is running and removes them itself
            }
            if (hookRemoved && !removed) {
                removeQuietly(engine, runId, installId.get());
            }
        }
    }

    /** How many containers and volumes carry {@code key=value}. */
    private static int labelled(PodmanEngine engine, String key, String value) {
        var filter = "label=" + key + "=" + value;
        return engine.podman("ps", "--all", "--quiet", "--filter", filter).requireSuccess().lines().size()
                + engine.podman("volume", "ls", "--quiet", "--filter", filter).requireSuccess().lines().size();
    }

    private static void removeQuietly(PodmanEngine engine, String runId, String installId) {
        try {
            engine.removeLabelled(RawContainers.LABEL, runId);
        } catch (RuntimeException e) {
            System.err.println("WARNING: could not remove the baseline's containers (label " + RawContainers.LABEL
                    + "=" + runId + "): " + e.getMessage());
        }
        if (installId != null) {
            try {
                engine.removeLabelled(INSTALL_LABEL, installId);
            } catch (RuntimeException e) {
                System.err.println("WARNING: could not remove Hangar's containers (label " + INSTALL_LABEL + "="
                        + installId + "): " + e.getMessage());
            }
        }
    }
}

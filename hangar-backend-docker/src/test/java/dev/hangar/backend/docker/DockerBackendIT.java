package dev.hangar.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.ComputeBackendProvider;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import dev.hangar.testkit.backend.ComputeBackendContractTest;
import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import dev.hangar.testkit.jupyter.JupyterClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract on a real Podman (runc) serving the Docker Engine API, with the instance image built by
 * {@code images/instance/build.sh}; plus what only containers show: limits in the cgroup, isolation, engine errors.
 */
class DockerBackendIT extends ComputeBackendContractTest {
    private static final String INSTALL_ID = "docker-it-" + UUID.randomUUID();

    @TempDir
    static Path engineDirectory;
    static PodmanEngine engine;

    @TempDir
    Path dataDirectory;

    @BeforeAll
    static void startEngine() {
        engine = PodmanEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.removeLabelled(InstanceResources.LABEL_INSTALL, INSTALL_ID);
            engine.close();
        }
    }

    @Override
    protected ComputeBackend createBackend() {
        return backendWith(Map.of());
    }

    /** Setup scripts run as root in the container. */
    @Override
    protected int administratorUid(InstanceContext instance) {
        return 0;
    }

    @Override
    protected void writeFileInHome(InstanceContext instance, String name, String content) {
        var written = engine.podman("exec", "-u", "azureuser", InstanceResources.container(instance.computeId()),
                "sh", "-c", "printf %s \"$1\" > \"$HOME/$0\"", name, content);
        assertThat(written.exitCode()).as("%s", written).isZero();
    }

    @Override
    protected String readFileInHome(InstanceContext instance, String name) {
        var read = engine.podman("exec", "-u", "azureuser", InstanceResources.container(instance.computeId()),
                "sh", "-c", "cat \"$HOME/$0\"", name);
        assertThat(read.exitCode()).as("%s", read).isZero();
        return read.output();
    }

    @Override
    protected int processesOf(InstanceContext instance) {
        var container = InstanceResources.container(instance.computeId());
        var running = engine.podman("inspect", "--format", "{{.State.Running}}", container);
        if (running.exitCode() != 0 || !running.output().strip().equals("true")) {
            return 0;
        }
        var top = engine.podman("top", container, "pid");
        return top.exitCode() != 0 ? 0 : (int) top.output().lines().skip(1).filter(line -> !line.isBlank()).count();
    }

    @Override
    protected void cleanUpAfter(List<InstanceContext> instances) {
        instances.forEach(instance ->
                engine.removeLabelled(InstanceResources.LABEL_COMPUTE, instance.computeId().toString()));
    }

    @Test
    void theSizeIsTheContainersLimits() {
        var instance = newInstance();
        result(backend().provision(instance));
        var container = InstanceResources.container(instance.computeId());

        var limits = engine.podman("exec", container, "bash", "-c", """
                if [ -f /sys/fs/cgroup/memory.max ]; then
                  echo "memory $(cat /sys/fs/cgroup/memory.max)"; echo "cpu $(cut -d' ' -f1 /sys/fs/cgroup/cpu.max)"
                  echo "pids $(cat /sys/fs/cgroup/pids.max)"
                else
                  echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
                  echo "cpu $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"; echo "pids $(cat /sys/fs/cgroup/pids/pids.max)"
                fi
                echo "nofile $(ulimit -n)"; echo "nproc $(ulimit -u)"
                """);

        assertThat(limits.exitCode()).as("%s", limits).isZero();
        var size = instance.size();
        assertThat(limits.output().lines()).containsExactly(
                "memory " + (long) (size.memoryGb() * 1024 * 1024 * 1024),
                "cpu " + size.vCpus() * 100_000,
                "pids " + DockerBackendConfig.DEFAULT_PROCESSES,
                "nofile " + DockerBackendConfig.DEFAULT_OPEN_FILES,
                "nproc " + DockerBackendConfig.DEFAULT_PROCESSES);
    }

    @Test
    void oneInstanceCannotSeeAnothersHome() {
        var alice = newInstance();
        var bob = newInstance();
        result(backend().provision(alice));
        result(backend().provision(bob));
        writeFileInHome(bob, "secret.txt", "bob's");

        var look = engine.podman("exec", InstanceResources.container(alice.computeId()), "sh", "-c",
                "ls -A /home; find / -xdev -name secret.txt 2>/dev/null | wc -l");

        assertThat(look.output().lines()).containsExactly("azureuser", "0");
        assertThat(readFileInHome(bob, "secret.txt")).isEqualTo("bob's");
    }

    @Test
    void jupyterRunsAsTheNonRootUserWithPasswordlessSudo() {
        var instance = newInstance();
        result(backend().provision(instance));

        var who = engine.podman("exec", "-u", "azureuser", InstanceResources.container(instance.computeId()), "sh",
                "-c", "id -un; id -u; sudo -n id -un; ps -o user= -C jupyter-notebook | sort -u");

        assertThat(who.output().lines()).containsExactly("azureuser", "1000", "root", "azureuser");
    }

    @Test
    void aPackageAndAKernelTheUserInstallsSurviveStopAndStart() {
        var instance = newInstance();
        result(backend().provision(instance));
        // What a user does in a terminal: a venv in the environments volume, a package installed into it (built
        // from a local folder: no index is reachable here), and a Jupyter kernel for it in their home.
        var installed = engine.podman("exec", "-u", "azureuser", InstanceResources.container(instance.computeId()),
                "bash", "-c", """
                        set -e
                        mkdir -p /tmp/probe/hangarprobe
                        echo 'ANSWER = 42' > /tmp/probe/hangarprobe/__init__.py
                        printf '%s\n' '[build-system]' 'requires = ["setuptools"]' \
                          'build-backend = "setuptools.build_meta"' '[project]' 'name = "hangarprobe"' \
                          'version = "1.0"' > /tmp/probe/pyproject.toml
                        python3 -m venv --system-site-packages /opt/hangar/envs/probe
                        /opt/hangar/envs/probe/bin/pip install --quiet --no-index --no-build-isolation /tmp/probe
                        /opt/hangar/envs/probe/bin/python -m ipykernel install --user --name probe
                        """);
        assertThat(installed.exitCode()).as("%s", installed).isZero();

        result(backend().stop(instance));
        var endpoints = result(backend().start(instance));

        var jupyter = endpoints.getFirst();
        try (var client = JupyterClient.builder(URI.create(jupyter.target() + instance.apps().getFirst().basePath()))
                .headers(jupyter.headers()).build()) {
            var kernel = client.startKernel("probe");
            try (var session = client.connect(kernel)) {
                var execution = session.execute("import hangarprobe, sys; (hangarprobe.ANSWER, sys.prefix)");
                assertThat(execution.ok()).as("%s", execution).isTrue();
                assertThat(execution.result()).isEqualTo("(42, '/opt/hangar/envs/probe')");
            } finally {
                client.shutdownKernel(kernel);
            }
        }
    }

    @Test
    void aSizeLargerThanTheMachineIsRefusedAndLeavesNothing() {
        var huge = new VmSize("Standard_Huge_v9", "standardHugeFamily", 512, 8192, 0, 99.0, 19.8, false,
                List.of("ComputeInstance"));
        var name = "ci" + UUID.randomUUID().toString().substring(0, 8);
        var instance = new InstanceContext(UUID.randomUUID(), "contract", name, huge, "alice",
                InstanceApps.of("contract", name), null);

        var failure = catchThrowableOfType(BackendException.class, () -> result(backend().provision(instance)));

        assertThat(failure.code()).isEqualTo("SizeExceedsMachine");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("Standard_Huge_v9", "512 vCPUs");
        assertThat(result(backend().observe(instance))).isEqualTo(new Observation.Missing());
    }

    @Test
    void aMissingImageIsNamedWithHowToBuildIt() {
        var failure = catchThrowableOfType(BackendException.class,
                () -> backendWith(Map.of(DockerBackendConfig.IMAGE, "localhost/hangar-no-such-image:0")));

        assertThat(failure.code()).isEqualTo("DockerBackendUnavailable");
        assertThat(failure.getMessage()).contains("localhost/hangar-no-such-image:0", "images/instance/build.sh");
    }

    @Test
    void anEngineThatDoesNotAnswerIsNamedWithHowToStartOne() {
        var socket = engineDirectory.resolve("nobody-listens.sock");

        var failure = catchThrowableOfType(BackendException.class,
                () -> backendWith(Map.of(DockerBackendConfig.HOST, "unix://" + socket)));

        assertThat(failure.code()).isEqualTo("DockerBackendUnavailable");
        assertThat(failure.getMessage()).contains(socket.toString(), "does not answer", "podman system service");
    }

    @Test
    void serviceLoaderFindsTheBackendByName() {
        var provider = ServiceLoader.load(ComputeBackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(found -> found.name().equals("docker")).findFirst();

        assertThat(provider).get().isInstanceOf(DockerBackendProvider.class);
    }

    private ComputeBackend backendWith(Map<String, String> overrides) {
        var settings = new HashMap<String, String>();
        settings.put(DockerBackendConfig.HOST, engine.dockerHost());
        settings.put(DockerBackendConfig.IMAGE, InstanceImage.reference());
        settings.putAll(overrides);
        return track(new DockerBackendProvider().create(new Environment(dataDirectory, INSTALL_ID, settings)));
    }
}

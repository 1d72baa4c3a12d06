package dev.hangar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.ComputeBackendProvider;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import dev.hangar.testkit.backend.ComputeBackendContractTest;
import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.process.HostProcesses;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract with Debian's real Jupyter Notebook, plus what only host processes can show. */
class LocalBackendIT extends ComputeBackendContractTest {

    @TempDir
    Path dataDirectory;

    @Override
    protected ComputeBackend createBackend() {
        return backendWith(Map.of());
    }

    @Override
    protected void writeFileInHome(InstanceContext instance, String name, String content) throws IOException {
        Files.writeString(home(instance).resolve(name), content);
    }

    @Override
    protected String readFileInHome(InstanceContext instance, String name) throws IOException {
        return Files.readString(home(instance).resolve(name));
    }

    @Override
    protected int processesOf(InstanceContext instance) {
        return tagged(instance).size();
    }

    @Override
    protected void cleanUpAfter(List<InstanceContext> instances) {
        instances.forEach(instance -> HostProcesses.kill(tagged(instance), Duration.ofSeconds(10)));
    }

    @Test
    void kernelRunsCodeThroughTheEndpoint() {
        var instance = newInstance();
        var jupyter = result(backend().provision(instance)).getFirst();

        try (var client = JupyterClient.builder(URI.create(jupyter.target() + instance.apps().getFirst().basePath()))
                .headers(jupyter.headers()).build()) {
            var execution = client.execute("1+1");

            assertThat(execution.ok()).as("%s", execution).isTrue();
            assertThat(execution.result()).isEqualTo("2");
        }
    }

    @Test
    void withoutJupyterTheInstanceRunsAndSaysHowToInstallIt() {
        var backend = track(backendWith(Map.of(LocalBackendConfig.JUPYTER, "/nonexistent/bin/jupyter")));
        var instance = newInstance();

        var apps = result(backend.provision(instance));

        assertThat(apps).singleElement().satisfies(app -> {
            assertThat(app.isAvailable()).isFalse();
            assertThat(app.unavailableReason()).contains("/nonexistent/bin/jupyter does not exist")
                    .contains("apt-get install -y jupyter-notebook python3-ipykernel");
        });
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Running(apps));
        assertThat(result(backend.start(instance))).isEqualTo(apps);
        result(backend.stop(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());
    }

    @Test
    void jupyterThatExitsFailsTheProvisionWithTheEndOfItsLog() throws IOException {
        var fake = fakeJupyter("echo 'config file is broken: no such option' >&2; exit 3");
        var backend = track(backendWith(Map.of(LocalBackendConfig.JUPYTER, fake.toString())));
        var instance = newInstance();

        var failure = catchThrowableOfType(BackendException.class, () -> result(backend.provision(instance)));

        assertThat(failure.code()).isEqualTo("JupyterStartFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("config file is broken: no such option");
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());
    }

    @Test
    void jupyterThatNeverAnswersTimesOutAndIsEnded() throws IOException {
        var fake = fakeJupyter("echo 'listening, honestly'; exec sleep 600");
        var backend = track(backendWith(Map.of(LocalBackendConfig.JUPYTER, fake.toString(),
                LocalBackendConfig.READY_TIMEOUT, "PT2S")));
        var instance = newInstance();

        var failure = catchThrowableOfType(BackendException.class, () -> result(backend.provision(instance)));

        assertThat(failure.code()).isEqualTo("JupyterStartTimeout");
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("listening, honestly");
        assertThat(processesOf(instance)).isZero();
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());
    }

    @Test
    void stopEndsProcessesTheAppLeftBehind() throws Exception {
        var instance = newInstance();
        var jupyter = result(backend().provision(instance)).getFirst();
        try (var client = JupyterClient.builder(URI.create(jupyter.target() + instance.apps().getFirst().basePath()))
                .headers(jupyter.headers()).build()) {
            // A job the user leaves running: its own session, re-parented to init, out of Jupyter's reach.
            var kernel = client.startKernel();
            try (var session = client.connect(kernel)) {
                assertThat(session.execute("import subprocess; subprocess.run(['setsid', '--fork', 'sleep', '600'])").ok())
                        .isTrue();
            }
        }
        assertThat(processesOf(instance)).isGreaterThanOrEqualTo(3);

        result(backend().stop(instance));

        assertThat(processesOf(instance)).isZero();
    }

    @Test
    void instanceWhoseJupyterDiedIsStoppedAndStartsAgain() {
        var instance = newInstance();
        result(backend().provision(instance));
        HostProcesses.kill(tagged(instance), Duration.ofSeconds(10));

        assertThat(result(backend().observe(instance))).isEqualTo(new Observation.Stopped());
        var endpoints = result(backend().start(instance));
        assertThat(result(backend().observe(instance))).isEqualTo(new Observation.Running(endpoints));
        assertAppsAnswer(instance, endpoints);
    }

    @Test
    void anAppThatStopsAnsweringIsUnavailableOnlyOnTheSecondObservationInARow() throws Exception {
        var instance = newInstance();
        var endpoints = result(backend().provision(instance));
        var processes = tagged(instance);
        signal("STOP", processes);
        try {
            // One unanswered probe is a slow moment, not an outage: the instance's applications do not flap.
            assertThat(result(backend().observe(instance))).isEqualTo(new Observation.Running(endpoints));

            var second = (Observation.Running) result(backend().observe(instance));

            assertThat(second.apps()).singleElement().satisfies(app -> {
                assertThat(app.isAvailable()).isFalse();
                assertThat(app.unavailableReason()).contains("runs but does not answer");
            });
        } finally {
            signal("CONT", processes);
        }
        assertThat(result(backend().observe(instance))).isEqualTo(new Observation.Running(endpoints));
    }

    @Test
    void callsAfterCloseFailAndLeaveTheInstanceRunning() {
        var instance = newInstance();
        var endpoints = result(backend().provision(instance));
        backend().close();

        var failure = catchThrowableOfType(BackendException.class, () -> result(backend().observe(instance)));

        assertThat(failure.code()).isEqualTo("BackendClosed");
        assertAppsAnswer(instance, endpoints);
    }

    @Test
    void heldIgnoresDirectoriesThatAreNotComputeIds() throws IOException {
        Files.createDirectories(dataDirectory.resolve("instances/lost+found"));
        Files.createDirectories(dataDirectory.resolve("instances/1-2-3-4-5"));

        assertThat(result(backend().held())).extracting(HeldInstance::computeId).isEmpty();
    }

    @Test
    void serviceLoaderFindsTheBackendByName() {
        var provider = ServiceLoader.load(ComputeBackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(found -> found.name().equals("local")).findFirst();

        assertThat(provider).get().isInstanceOf(LocalBackendProvider.class);
        assertThat(track(provider.get().create(environment(Map.of()))).name()).isEqualTo("local");
    }

    private ComputeBackend backendWith(Map<String, String> settings) {
        return new LocalBackendProvider().create(environment(settings));
    }

    private Environment environment(Map<String, String> settings) {
        return new Environment(dataDirectory, "local-it", settings);
    }

    private Path home(InstanceContext instance) {
        return dataDirectory.resolve("instances").resolve(instance.computeId().toString()).resolve("home");
    }

    private static void signal(String name, List<ProcessHandle> processes) throws Exception {
        for (var process : processes) {
            var kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }
    }

    private static List<ProcessHandle> tagged(InstanceContext instance) {
        return HostProcesses.withEnvironment("HANGAR_COMPUTE_ID", instance.computeId().toString());
    }

    /** A stand-in for {@code jupyter} that passes the installation probe and then runs {@code body}. */
    private Path fakeJupyter(String body) throws IOException {
        var script = dataDirectory.resolve("fake-jupyter");
        Files.writeString(script, """
                #!/bin/sh
                if [ "$2" = "--version" ]; then echo 6.4.12; exit 0; fi
                %s
                """.formatted(body));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}

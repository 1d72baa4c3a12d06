package dev.hangar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import dev.hangar.core.spi.ComputeBackendProvider;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.Observation;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.testkit.backend.ComputeBackendContractTest;
import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract with Debian's real Jupyter Notebook, plus what only host processes can show. Run as root (as
 * CI runs), so each instance runs as an account of its own, which every test removes with its instance.
 */
class LocalBackendIT extends ComputeBackendContractTest {

    @TempDir
    Path dataDirectory;

    @Override
    protected ComputeBackend createBackend() {
        return backendWith(Map.of());
    }

    @Override
    protected void writeFileInHome(InstanceContext instance, String name, String content) throws IOException {
        var file = home(instance).resolve(name);
        Files.writeString(file, content);
        Commands.run(List.of("chown", account(instance) + ":", file.toString()), Map.of()).requireSuccess();
    }

    /** Setup scripts run as the instance's account unless the operator lets them run as root. */
    @Override
    protected int administratorUid(InstanceContext instance) {
        return Integer.parseInt(Commands.run(List.of("id", "-u", account(instance)), Map.of()).requireSuccess()
                .output().strip());
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
        // What a failed delete left: no account of a test outlives it.
        instances.stream().map(LocalBackendIT::account).filter(LocalBackendIT::exists)
                .forEach(name -> Commands.run(List.of("userdel", "--force", name), Map.of()));
        // A workspace's group outlives its instances on a host; a test's workspaces end with it.
        instances.stream().map(instance -> ShareGroups.nameOf(instance.fileShare())).distinct()
                .forEach(group -> Commands.run(List.of("groupdel", group), Map.of()));
    }

    @Test
    void theInstancesOfAWorkspaceChangeEachOthersFilesInItsShareAndNoOtherInstanceEntersIt() throws Exception {
        var alices = newInstance();
        var bobs = new InstanceContext(UUID.randomUUID(), alices.workspaceName(), alices.computeName() + "b",
                alices.size(), "bob", alices.apps(), alices.fileShare());
        var strangers = newInstance();
        result(backend().provision(alices));
        try {
            result(backend().provision(bobs));
            result(backend().provision(strangers));
            var folder = InstanceContext.FILE_SHARE_MOUNT + "/Users/alice/project";

            assertThat(run(alices, "mkdir -p " + folder + " && echo one > " + folder + "/a.txt")).isEmpty();
            assertThat(run(bobs, "echo two >> " + folder + "/a.txt && echo b > " + folder + "/b.txt && cat "
                    + folder + "/a.txt")).isEqualTo("one\ntwo\n");
            assertThat(run(alices, "rm " + folder + "/b.txt && ls " + folder)).isEqualTo("a.txt\n");

            try (var session = open(strangers, new SessionRequest.Command("ls " + alices.fileShare(), null,
                    Map.of()))) {
                var errors = drain(session.errors());
                assertThat(result(session.exitStatus())).isNotZero();
                assertThat(errors.get(30, TimeUnit.SECONDS)).contains("Permission denied");
            }
            assertThat(Files.getPosixFilePermissions(alices.fileShare())).isEqualTo(
                    PosixFilePermissions.fromString("rwxrwx---"));
        } finally {
            result(backend().delete(bobs));
        }
        assertThat(exists(account(bobs))).isFalse();
    }

    /** What {@code line} writes, run as the instance's account; it must succeed. */
    private String run(InstanceContext instance, String line) throws Exception {
        try (var session = open(instance, new SessionRequest.Command(line, null, Map.of()))) {
            var output = drain(session.output());
            var errors = drain(session.errors());
            assertThat(result(session.exitStatus())).as("%s: %s", line, errors.get(30, TimeUnit.SECONDS)).isZero();
            return output.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInstancesAccountCannotReadAnotherInstancesHome() throws Exception {
        var alices = newInstance();
        var bobs = newInstance();
        result(backend().provision(alices));
        result(backend().provision(bobs));
        writeFileInHome(bobs, "secret.txt", "bob's only");

        try (var session = open(alices, new SessionRequest.Command("id -un; cat " + home(bobs).resolve("secret.txt")
                + "; ls " + home(bobs) + "; ls " + home(bobs).getParent().getParent() + "; ls "
                + home(bobs).getParent().resolve("run"), null, Map.of()))) {
            var output = drain(session.output());
            var errors = drain(session.errors());
            assertThat(output.get(30, TimeUnit.SECONDS)).isEqualTo(account(alices) + "\n");
            assertThat(errors.get(30, TimeUnit.SECONDS)).contains("Permission denied").doesNotContain("bob's only");
            assertThat(result(session.exitStatus())).isNotZero();
        }
        for (var instance : List.of(alices, bobs)) {
            assertThat(Files.getPosixFilePermissions(home(instance))).isEqualTo(PosixFilePermissions.fromString(
                    "rwx------"));
            assertThat(Files.getOwner(home(instance)).getName()).isEqualTo(account(instance));
            assertThat(Files.getPosixFilePermissions(home(instance).getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        }
    }

    @Test
    void jupyterItsKernelsAndEverySessionRunAsTheInstancesAccount() throws Exception {
        var instance = newInstance();
        var jupyter = result(backend().provision(instance)).getFirst();
        try (var client = JupyterClient.builder(URI.create(jupyter.target() + instance.apps().getFirst().basePath()))
                .headers(jupyter.headers()).build()) {
            var kernel = client.startKernel();
            try (var session = client.connect(kernel)) {
                var execution = session.execute("__import__('getpass').getuser()");
                assertThat(execution.result()).as("%s", execution).isEqualTo("'" + account(instance) + "'");
            }
            // Jupyter and its kernel.
            var pids = tagged(instance).stream().map(process -> Long.toString(process.pid())).toList();
            assertThat(pids).hasSizeGreaterThanOrEqualTo(2);
            var users = Commands.run(List.of("ps", "-o", "user=", "-p", String.join(",", pids)), Map.of())
                    .requireSuccess().lines();
            assertThat(users).hasSameSizeAs(pids).containsOnly(account(instance));
        }
        assertThat(backend().instanceUser(instance.computeId())).isEqualTo(account(instance));

        try (var session = open(instance, new SessionRequest.Command("echo \"as $(id -un) in $HOME as $USER\"; tty",
                new SessionRequest.Tty("xterm", 80, 24), Map.of()))) {
            assertThat(drain(session.output()).get(30, TimeUnit.SECONDS)).contains("as " + account(instance) + " in "
                    + home(instance) + " as " + account(instance)).contains("/dev/pts/");
            assertThat(result(session.exitStatus())).isZero();
        }
        try (var session = open(instance, new SessionRequest.AdminCommand("id -un", Map.of()))) {
            session.input().close();
            assertThat(drain(session.output()).get(30, TimeUnit.SECONDS)).isEqualTo(account(instance) + "\n");
        }
    }

    @Test
    void stopEndsEvenAProcessThatDroppedTheInstancesTagSinceItIsTheAccounts() throws Exception {
        var instance = newInstance();
        result(backend().provision(instance));
        try (var session = open(instance, new SessionRequest.Command("env -i /usr/bin/setsid -f /bin/sleep 600",
                null, Map.of()))) {
            assertThat(result(session.exitStatus())).isZero();
        }
        // setsid -f returns once it has forked: the sleep is there as soon as the child has exec'd it.
        await("the untagged sleep runs").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> Commands.run(List.of("pgrep", "-u",
                        account(instance), "-x", "sleep"), Map.of()).succeeded());

        result(backend().stop(instance));

        // Ended means gone or a zombie: where no init reaps orphans, an ended process stays a zombie.
        assertThat(Commands.run(List.of("ps", "-o", "stat=", "-u", account(instance)), Map.of()).lines())
                .allMatch(state -> state.startsWith("Z"));
    }

    @Test
    void setupScriptsRunAsRootOnlyWhereTheOperatorAllowsIt() throws Exception {
        var backend = track(backendWith(Map.of(LocalBackendConfig.SETUP_SCRIPTS_AS_ROOT, "true")));
        var instance = newInstance();
        result(backend.provision(instance));

        try (var session = result(backend.open(instance, new SessionRequest.AdminCommand("id -u; pwd", Map.of())))) {
            session.input().close();
            assertThat(drain(session.output()).get(30, TimeUnit.SECONDS)).isEqualTo("0\n" + home(instance) + "\n");
        }
        try (var session = result(backend.open(instance, new SessionRequest.Command("id -un", null, Map.of())))) {
            assertThat(drain(session.output()).get(30, TimeUnit.SECONDS)).as("the user's own sessions are not root")
                    .isEqualTo(account(instance) + "\n");
        }
    }

    @Test
    void deleteRemovesTheAccountAndItsGroup() {
        var instance = newInstance();
        result(backend().provision(instance));
        assertThat(exists(account(instance))).isTrue();

        result(backend().delete(instance));

        assertThat(Commands.run(List.of("getent", "passwd", account(instance)), Map.of()).exitCode()).isEqualTo(2);
        assertThat(Commands.run(List.of("getent", "group", account(instance)), Map.of()).exitCode()).isEqualTo(2);
    }

    @Test
    void anAccountWhoseFolderIsGoneIsHeldAndRemovedByTheSweep() {
        var instance = newInstance();
        result(backend().provision(instance));
        result(backend().stop(instance));
        Commands.run(List.of("rm", "-rf", home(instance).getParent().toString()), Map.of()).requireSuccess();

        var held = result(backend().held()).stream().filter(each -> each.computeId().equals(instance.computeId()))
                .toList();
        assertThat(held).singleElement().satisfies(orphan -> assertThat(orphan.description()).contains(
                account(instance)));
        result(backend().remove(held.getFirst()));

        assertThat(exists(account(instance))).isFalse();
        assertThat(result(backend().held())).extracting(HeldInstance::computeId).doesNotContain(instance.computeId());
    }

    @Test
    void anAccountOfTheSameNameThatIsNotTheInstancesIsNeitherUsedNorRemoved() {
        var instance = newInstance();
        var name = account(instance);
        Commands.run(List.of("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", name), Map.of())
                .requireSuccess();
        try {
            var failure = catchThrowableOfType(BackendException.class, () -> result(backend().provision(instance)));

            assertThat(failure.code()).isEqualTo("InstanceAccountConflict");
            assertThat(failure.getMessage()).contains(name).contains("/nonexistent");
            result(backend().delete(instance));
            assertThat(exists(name)).isTrue();
        } finally {
            Commands.run(List.of("userdel", name), Map.of());
        }
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

    /** The instance's account: named by its compute id. */
    private static String account(InstanceContext instance) {
        return "hgr-" + instance.computeId().toString().replace("-", "").substring(0, 12);
    }

    private static boolean exists(String account) {
        return Commands.run(List.of("getent", "passwd", account), Map.of()).succeeded();
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
        // Run by the instance's account.
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}

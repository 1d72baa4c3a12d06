package dev.hangar.backend.vm;

import static dev.hangar.testkit.engine.EngineJobs.awaitPhase;
import static dev.hangar.testkit.engine.EngineJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import dev.hangar.testkit.engine.JobEngineContractTest;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.ssh.ClientKey;
import dev.hangar.testkit.ssh.SshHost;
import dev.hangar.testkit.ssh.SshMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A "virtual machine" that is a real sshd on 127.0.0.1 taking keys and passwords, logged in to as a throw-away account
 * with a home folder of its own, made for the test: the engine runs the contract's jobs there, and the refusals of a
 * wrong password, key, host key and address. Everything the test made (sshd, the account and its home, the folder)
 * is removed after it.
 */
class VirtualMachineEngineIT extends JobEngineContractTest {
    private SshMachine vm;
    private JobEngine engine;

    @BeforeAll
    void startMachine() {
        Assumptions.assumeTrue(SshHost.installed(), "sshd is not installed: " + SshHost.INSTALL_HINT);
        vm = SshMachine.start("hgr-vm-");
        engine = connect(settings(), Map.of("privateKeyData", vm.key().privateKey()));
    }

    @AfterAll
    void stopMachine() {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (vm != null) {
                vm.close();
            }
        }
    }

    private Map<String, String> settings() {
        return Map.of("address", "127.0.0.1", "sshPort", Integer.toString(vm.port()), "username", vm.username(),
                "hostKey", vm.hostKey(), "virtualMachineSize", "Standard_D2_v3");
    }

    private JobEngine connect(Map<String, String> settings, Map<String, String> secrets) {
        var provider = ServiceLoader.load(JobEngineProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.kind().equals("VirtualMachine")).findFirst().orElseThrow();
        return provider.connect(new EngineConnection("vm-it", settings, secrets, vm.folder().resolve("engine-data")));
    }

    private EngineException checkFailure(Map<String, String> settings, Map<String, String> secrets) {
        try (var other = connect(settings, secrets)) {
            var failure = catchThrowableOfType(EngineException.class, other::check);
            assertThat(failure).as("the failure of check()").isNotNull();
            return failure;
        }
    }

    private Path jobs() {
        return vm.home().resolve(".hangar/jobs");
    }

    @Override
    protected JobEngine engine() {
        return engine;
    }

    @Override
    protected Path scratch() {
        return vm.folder();
    }

    @Override
    protected String jobNode() {
        return Commands.run(List.of("uname", "-n"), Map.of()).requireSuccess().output().strip();
    }

    @Override
    protected String completedState() {
        return "Completed";
    }

    @Override
    protected String failedState() {
        return "Failed";
    }

    @Override
    protected String failedReason() {
        return "NonZeroExitCode";
    }

    @Override
    protected EngineJobRef unknownJob() {
        var id = UUID.randomUUID().toString();
        return new EngineJobRef(id, jobs() + "/" + id, null);
    }

    @Override
    protected boolean folderExists(EngineJobRef job) {
        return Files.exists(Path.of(job.folder()));
    }

    @Test
    void checkDescribesTheMachineAndPinsItsHostKeyOnFirstContact() {
        var settings = new HashMap<>(settings());
        settings.remove("hostKey");
        try (var trusting = connect(settings, Map.of("password", vm.password()))) {
            var info = trusting.check();

            assertThat(info.account()).isEqualTo(vm.username());
            assertThat(info.cluster()).isEqualTo(jobNode());
            assertThat(info.nodeCount()).isEqualTo(1);
            assertThat(info.cpusPerNode()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(info.switchesUsers()).isFalse();
            assertThat(info.version()).isNotBlank();
            assertThat(info.learned()).containsEntry("hostKey", vm.hostKey())
                    .containsEntry("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()))
                    .containsEntry("gpus", "0").containsKeys("os", "memoryGB", "containerEngine", "python");
        }
        assertThat(engine.check().learned()).doesNotContainKey("hostKey");
    }

    @Test
    void aKeyWithAPassphraseLogsIn() {
        var encrypted = ClientKey.generate("open sesame");
        vm.sshd().authorize(vm.username(), encrypted.publicKey());
        try (var other = connect(settings(), Map.of("privateKeyData", encrypted.privateKey(),
                "passphrase", "open sesame"))) {
            assertThat(other.check().account()).isEqualTo(vm.username());
        }
        var failure = catchThrowableOfType(EngineException.class, () -> connect(settings(),
                Map.of("privateKeyData", encrypted.privateKey(), "passphrase", "wrong")));
        assertThat(failure.code()).isEqualTo("InvalidVirtualMachineSetting");
    }

    @Test
    void aWrongPasswordOrKeyFailsAuthentication() {
        var password = checkFailure(settings(), Map.of("password", "not-" + vm.password()));
        var key = checkFailure(settings(), Map.of("privateKeyData", ClientKey.generate().privateKey()));

        assertThat(password.code()).isEqualTo("VirtualMachineAuthenticationFailed");
        assertThat(password.retryable()).isFalse();
        assertThat(password.getMessage()).contains(vm.username() + "@127.0.0.1:" + vm.port(), "password");
        assertThat(key.code()).isEqualTo("VirtualMachineAuthenticationFailed");
    }

    @Test
    void anotherHostKeyThanThePinnedOneIsRefused() {
        var otherKey = ClientKey.generate().publicKey().split(" ");
        var settings = new HashMap<>(settings());
        settings.put("hostKey", otherKey[0] + " " + otherKey[1]);

        var failure = checkFailure(settings, Map.of("password", vm.password()));

        assertThat(failure.code()).isEqualTo("VirtualMachineHostKeyMismatch");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains(vm.hostKey());
    }

    @Test
    void aMachineThatDoesNotAnswerIsUnreachableAndRetryable() {
        var port = Ports.freeLoopback();
        var settings = new HashMap<>(settings());
        settings.put("sshPort", Integer.toString(port));
        var started = System.nanoTime();

        var failure = checkFailure(settings, Map.of("password", vm.password()));

        assertThat(failure.code()).isEqualTo("VirtualMachineUnreachable");
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void wrongSettingsAreNamedBeforeAnythingIsReached() {
        var cases = Map.of(
                Map.of("address", "-oProxyCommand=x", "username", "a"), "address must be a host name",
                Map.of("address", "vm.example", "username", "a", "sshPort", "70000"), "sshPort must be",
                Map.of("username", "a"), "address is required",
                Map.of("address", "vm.example", "username", "a", "colour", "blue"), "Unknown VirtualMachine setting");
        cases.forEach((settings, message) -> {
            var failure = catchThrowableOfType(EngineException.class, () -> connect(settings,
                    Map.of("password", "x")));
            assertThat(failure.code()).as(message).isEqualTo("InvalidVirtualMachineSetting");
            assertThat(failure.getMessage()).contains(message);
        });
        var noCredentials = catchThrowableOfType(EngineException.class, () -> connect(settings(), Map.of()));
        assertThat(noCredentials.getMessage()).contains("password or privateKeyData");
    }

    @Test
    void aJobIsFoundAgainByANewEngineAsAfterARestart() {
        var submitted = job("sleep 300", Map.of(), null, null);
        var job = engine.submit(submitted);
        awaitPhase(engine, job, Phase.Running);

        try (var restarted = connect(settings(), Map.of("password", vm.password()))) {
            assertThat(restarted.find(submitted.tag(), null)).contains(job);
            assertThat(restarted.states(List.of(job)).get(job.engineId()).phase()).isEqualTo(Phase.Running);
            restarted.cancel(job);
            assertThat(awaitPhase(restarted, job, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                    .isEqualTo(Phase.Canceled);
            restarted.clean(job);
        }
    }

    /** More submissions at once than OpenSSH lets one connection carry channels (10): each runs, once. */
    @Test
    void twentyJobsSubmittedAtOnceAllRunToTheirEnd() throws Exception {
        var submitted = java.util.stream.IntStream.range(0, 20).mapToObj(i -> job("echo job " + i, Map.of(), null,
                null)).toList();
        List<EngineJobRef> refs;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            var futures = submitted.stream().map(job -> pool.submit(() -> engine.submit(job))).toList();
            refs = new java.util.ArrayList<>();
            for (var future : futures) {
                refs.add(future.get());
            }
        }
        for (int i = 0; i < refs.size(); i++) {
            var ref = refs.get(i);
            assertThat(awaitPhase(engine, ref, Phase.Ended, Phase.Aborted, Phase.Canceled).phase()).as(ref.engineId())
                    .isEqualTo(Phase.Ended);
            assertThat(engine.readLog(ref, 0, 100)).asString().isEqualTo("job " + i + "\n");
            engine.clean(ref);
        }
    }

    @Test
    void nothingButHangarsFolderIsMadeOnTheMachineAndNoFolderOutsideItIsRemoved() {
        for (var outside : List.of("", "/", jobs().toString(), vm.home().toString(), jobs() + "/../x")) {
            var failure = catchThrowableOfType(EngineException.class,
                    () -> engine.clean(new EngineJobRef("1", outside, null)));
            assertThat(failure.code()).as(outside).isEqualTo("VirtualMachineJobFolderRefused");
        }
        assertThat(vm.homeEntries()).containsOnly(".hangar");
    }
}

package dev.hangar.backend.vm;

import static dev.hangar.testkit.engine.EngineJobs.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import dev.hangar.testkit.engine.EngineJobs;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.ssh.ClientKey;
import dev.hangar.testkit.ssh.SshHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A machine with Podman: jobs that name an image run in a container of it. The machine is this host's root, reached
 * over a real sshd on 127.0.0.1 whose sessions get a home folder of the test's (so that Hangar's folder is made there)
 * and Hangar's {@code containers.conf} (runc, cgroupfs: what Podman needs here); the image is the instance image the
 * container tests use. Everything the test made is removed after it; the containers remove themselves ({@code --rm}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualMachineContainersIT {
    private Path folder;
    private PodmanEngine podman;
    private SshHost vm;
    private JobEngine engine;
    private String image;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(SshHost.installed(), "sshd is not installed: " + SshHost.INSTALL_HINT);
        try {
            image = InstanceImage.reference();
        } catch (IllegalStateException e) {
            Assumptions.abort("No instance image to run jobs in: " + e.getMessage());
        }
        podman = PodmanEngine.start();
        folder = Files.createTempDirectory(Path.of("/tmp"), "hangar-vm-podman-");
        var home = Files.createDirectories(folder.resolve("home"));
        vm = SshHost.start(folder.resolve("ssh"), false, Map.of("HOME", home.toString(), "CONTAINERS_CONF",
                podman.containersConf().toString()));
        var key = ClientKey.generate();
        vm.authorize("root", key.publicKey());
        engine = new VirtualMachineEngineProvider().connect(new EngineConnection("vm-podman", Map.of("address",
                "127.0.0.1", "sshPort", Integer.toString(vm.port()), "username", "root", "hostKey", vm.hostKey()),
                Map.of("privateKeyData", key.privateKey()), folder.resolve("engine-data")));
    }

    @AfterAll
    void stop() {
        try {
            if (engine != null) {
                engine.close();
            }
            if (vm != null) {
                vm.close();
            }
            if (podman != null) {
                podman.close();
            }
        } finally {
            if (folder != null) {
                Commands.run(List.of("rm", "-rf", folder.toString()), Map.of());
            }
        }
    }

    private EngineJob inImage(String command, Map<String, String> environment, String image) {
        var id = UUID.randomUUID();
        return new EngineJob(id, "in-image", "hangar-" + id, command, environment, null, 1, 1, null, null, image);
    }

    private boolean containerRuns(EngineJob job) {
        return podman.podman("ps", "--format", "{{.Names}}").output().lines()
                .anyMatch(name -> name.equals(RunScript.containerName(job)));
    }

    @Test
    void checkFindsPodman() {
        assertThat(engine.check().learned()).containsEntry("containerEngine", "podman");
    }

    @Test
    void aJobThatNamesAnImageRunsInAContainerOfItWithItsVariablesAndOutputs() throws Exception {
        var job = engine.submit(inImage("test -f /run/.containerenv && echo in a container; echo \"$GREETING\";"
                + " mkdir -p outputs && python3 -c 'print(6 * 7)' > outputs/answer", Map.of("GREETING",
                "it's $HOME"), image));

        var ended = awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.state()).as(new String(engine.readLog(job, 0, 4096), StandardCharsets.UTF_8))
                .isEqualTo("Completed");
        assertThat(engine.readLog(job, 0, 4096)).asString(StandardCharsets.UTF_8)
                .isEqualTo("in a container\nit's $HOME\n");
        var outputs = folder.resolve("answer.tar.gz");
        assertThat(engine.collect(job, outputs).outputs()).isTrue();
        assertThat(Commands.run(List.of("tar", "-xzOf", outputs.toString(), "outputs/answer"), Map.of())
                .requireSuccess().output()).isEqualTo("42\n");
        engine.clean(job);
    }

    @Test
    void aCanceledJobsContainerEnds() {
        var submitted = inImage("echo started; sleep 300", Map.of(), image);
        var job = engine.submit(submitted);
        awaitPhase(engine, job, Phase.Running);
        Awaitility.await("the container to run").atMost(EngineJobs.WAIT)
                .until(() -> containerRuns(submitted));

        engine.cancel(job);

        assertThat(awaitPhase(engine, job, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                .isEqualTo(Phase.Canceled);
        assertThat(containerRuns(submitted)).isFalse();
        engine.clean(job);
    }

    @Test
    void anImageTheMachineLacksIsRefusedAtSubmit() {
        var failure = catchThrowableOfType(EngineException.class, () -> engine.submit(inImage("true", Map.of(),
                "localhost/hangar-no-such-image:1")));

        assertThat(failure.code()).isEqualTo("VirtualMachineImageMissing");
        assertThat(failure.getMessage()).contains("localhost/hangar-no-such-image:1", "podman load");
    }
}

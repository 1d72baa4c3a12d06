package dev.hangar.backend.slurm;

import static dev.hangar.backend.slurm.Jobs.awaitPhase;
import static dev.hangar.backend.slurm.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.ssh.ClientKey;
import dev.hangar.testkit.ssh.SshHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine reaching the same kind of cluster through a login node: a real sshd on 127.0.0.1, logged in as root. */
class SlurmOverSshIT {
    private static SlurmSite site;
    private static SshHost loginNode;
    private static ClientKey key;

    @BeforeAll
    static void startClusterAndLoginNode() {
        site = SlurmSite.start();
        loginNode = SshHost.start(site.directory().resolve("ssh"));
        key = ClientKey.generate();
        loginNode.authorize("root", key.publicKey());
    }

    @AfterAll
    static void stopClusterAndLoginNode() {
        if (loginNode != null) {
            loginNode.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void checkTrustsTheFirstHostKeyAndJobsRunAndAreReadBackOverSsh() throws Exception {
        try (var engine = connect(Map.of(), key.privateKey())) {
            var info = engine.check();
            assertThat(info.learned()).isEqualTo(Map.of("hostKey", loginNode.hostKey()));
            assertThat(info.account()).isEqualTo("root");
            assertThat(info.partition()).isEqualTo("debug");
            assertThat(info.nodeCount()).isEqualTo(1);

            var value = "it's $PATH over `ssh`\n";
            var job = engine.submit(job("cat note.txt; printf '%s' \"$NOTE\"; mkdir outputs; id -un > outputs/who",
                    Map.of("NOTE", value), codeSnapshot(), site.account()));
            assertThat(awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled).phase())
                    .isEqualTo(Phase.Ended);

            assertThat(engine.readLog(job, 0, 1000)).asString(StandardCharsets.UTF_8)
                    .isEqualTo("a note from the code\n" + value);
            var outputs = site.directory().resolve("ssh-outputs.tar.gz");
            var result = engine.collect(job, outputs);
            assertThat(result.exitCode()).isZero();
            assertThat(result.outputs()).isTrue();
            assertThat(Commands.run(List.of("tar", "-xzOf", outputs.toString(), "outputs/who"), Map.of())
                    .requireSuccess().output()).isEqualTo(site.account() + "\n");
            engine.clean(job);
            assertThat(Path.of(job.folder())).doesNotExist();
        }
    }

    @Test
    void aJobIsCanceledOverSsh() {
        var marker = UUID.randomUUID().toString();
        try (var engine = connect(Map.of("hostKey", loginNode.hostKey()), key.privateKey())) {
            assertThat(engine.check().learned()).isEmpty();
            var job = engine.submit(job("sleep 300", Map.of("HANGAR_TEST_MARKER", marker), null, null));
            awaitPhase(engine, job, Phase.Running);

            engine.cancel(job);

            assertThat(awaitPhase(engine, job, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                    .isEqualTo(Phase.Canceled);
            Awaitility.await("the job's processes to end").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> HostProcesses.withEnvironment("HANGAR_TEST_MARKER", marker).isEmpty());
            assertThat(engine.collect(job, site.directory().resolve("canceled.tar.gz")).exitCode()).isNull();
        }
    }

    @Test
    void anotherHostKeyThanThePinnedOneIsRefused() {
        var otherKey = ClientKey.generate().publicKey().split(" ");
        try (var engine = connect(Map.of("hostKey", otherKey[0] + " " + otherKey[1]), key.privateKey())) {
            var failure = catchThrowableOfType(EngineException.class, engine::check);

            assertThat(failure.code()).isEqualTo("SlurmHostKeyMismatch");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains(loginNode.hostKey());
        }
    }

    @Test
    void aKeyTheServerDoesNotAcceptFailsAuthentication() {
        try (var engine = connect(Map.of(), ClientKey.generate().privateKey())) {
            var failure = catchThrowableOfType(EngineException.class, engine::check);

            assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
            assertThat(failure.retryable()).isFalse();
        }
    }

    @Test
    void nothingListeningIsUnreachableAndRetryable() {
        var settings = new HashMap<String, String>();
        settings.put("sshPort", Integer.toString(Ports.freeLoopback()));
        try (var engine = connect(settings, key.privateKey())) {
            var failure = catchThrowableOfType(EngineException.class, engine::check);

            assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
            assertThat(failure.retryable()).isTrue();
        }
    }

    private static Path codeSnapshot() throws Exception {
        var source = Files.createDirectories(site.directory().resolve("code-" + UUID.randomUUID()));
        Files.writeString(source.resolve("note.txt"), "a note from the code\n");
        var archive = site.directory().resolve(source.getFileName() + ".tar.gz");
        Commands.run(List.of("tar", "-czf", archive.toString(), "-C", source.toString(), "."), Map.of())
                .requireSuccess();
        return archive;
    }

    private static JobEngine connect(Map<String, String> extra, String privateKey) {
        var settings = new HashMap<>(site.settings());
        settings.putAll(Map.of("connection", "Ssh", "address", "127.0.0.1", "sshPort",
                Integer.toString(loginNode.port()), "username", "root"));
        settings.putAll(extra);
        return new SlurmEngineProvider().connect(new EngineConnection("slurm-ssh-it", settings,
                Map.of("privateKeyData", privateKey), site.directory().resolve("engine-data")));
    }
}

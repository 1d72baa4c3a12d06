package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.client.HangarClient;
import dev.hangar.client.JobClient;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local runs end to end: the packaged {@code hangar} command runs a job on this machine against a real server
 * process (H2), which records it; the job's states, log, exit code and outputs are read back through the API. A
 * failing command fails the job and the CLI with its exit code; a cancel from the API ends the command's process
 * tree and the job is Canceled.
 */
class LocalRunIT {
    @TempDir
    static Path scratch;
    static ServerProcess server;
    static HangarClient client;
    static JobClient jobs;
    static CliProcess cli;

    @BeforeAll
    static void startServerAndLogIn() throws IOException {
        server = new ServerProcess(scratch.resolve("data"), Map.of("HANGAR_BACKEND_LOCAL_JUPYTER",
                "/nonexistent/jupyter")).start();
        client = HangarClient.builder().server(server.url()).token(server.adminToken())
                .caCertificate(server.certificate()).build();
        jobs = client.jobs(client.session().defaultWorkspace());
        // The work folders the CLI makes go to the test's scratch folder, removed with it.
        var tmp = Files.createDirectories(scratch.resolve("tmp"));
        cli = new CliProcess(scratch.resolve("home")).env("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        var login = cli.run("login", "--server", server.url().toString(), "--token", server.adminToken(),
                "--ca-cert", server.certificate().toString());
        assertThat(login.exitCode()).as(login.err()).isZero();
    }

    @AfterAll
    static void stop() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void aLocalRunRunsHereAndIsRecordedLikeAnyJob() throws IOException {
        var code = Files.createDirectories(scratch.resolve("code"));
        Files.writeString(code.resolve("train.sh"), "mkdir -p outputs && echo 0.93 > outputs/score.txt\n"
                + "echo \"trained by $HANGAR_JOB_NAME\"\n");
        Files.createDirectories(code.resolve("data"));
        Files.writeString(code.resolve("data").resolve("big.bin"), "left out");
        Files.writeString(code.resolve(".amlignore"), "data/\n");

        var result = cli.run("job", "create", "-n", "local-ok", "--compute", "local", "--code", code.toString(),
                "--env", "GREETING=there", "--command",
                "echo \"hi $GREETING from $AZUREML_RUN_ID\"; ls data 2>/dev/null || echo no data; bash train.sh");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("hi there from local-ok\nno data\ntrained by local-ok\n");
        assertThat(result.err()).contains("Job 'local-ok' runs here")
                .contains("Job 'local-ok' Completed (exit code 0)");
        var job = jobs.get("local-ok").properties();
        assertThat(job.status()).isEqualTo("Completed");
        assertThat(job.exitCode()).isZero();
        assertThat(job.computeId()).endsWith("/computes/local");
        assertThat(job.codeId()).as("its code is recorded as any job's").contains("/codes/");
        assertThat(jobs.history("local-ok")).extracting(entry -> entry.to())
                .containsExactly("Queued", "Starting", "Running", "Completed");
        assertThat(jobs.logs("local-ok", 0).text()).isEqualTo(result.out());
        var into = scratch.resolve("downloaded");
        jobs.downloadOutputs("local-ok", into);
        assertThat(into.resolve("outputs/score.txt")).hasContent("0.93\n");
    }

    @Test
    void aFailingCommandFailsTheJobAndTheCliWithItsExitCode() throws IOException {
        var yaml = Files.writeString(scratch.resolve("fails.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
                name: local-fails
                command: echo oops >&2; exit 3
                compute: azureml:local
                environment: azureml:py312:1
                """);

        var result = cli.run("job", "create", "-f", yaml.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).isEqualTo("oops\n");
        assertThat(result.err()).contains("Note: environment azureml:py312:1 is not used");
        var job = jobs.get("local-fails").properties();
        assertThat(job.status()).isEqualTo("Failed");
        assertThat(job.exitCode()).isEqualTo(3);
        assertThat(job.error().code()).isEqualTo("JobFailed");
        assertThat(jobs.logs("local-fails", 0).text()).isEqualTo("oops\n");
    }

    @Test
    void aCancelFromTheApiEndsTheProcessTreeAndTheJob() throws Exception {
        var run = sleeping("local-cancel");
        var running = run.cli();
        var sleeper = run.child();
        assertThat(jobs.get("local-cancel").properties().status()).isEqualTo("Running");

        jobs.cancel("local-cancel");

        var result = running.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(LocalRun.CANCELED);
        assertThat(sleeper.isAlive()).as("the command's child").isFalse();
        var job = jobs.get("local-cancel").properties();
        assertThat(job.status()).isEqualTo("Canceled");
        assertThat(job.error().code()).isEqualTo("JobCanceled");
        assertThat(result.err()).contains("Job 'local-cancel' Canceled");
    }

    /** Ctrl-C (SIGINT to the CLI) ends the command's processes, and the job is recorded Canceled. */
    @Test
    void ctrlCCancelsTheJob() throws Exception {
        var run = sleeping("local-ctrl-c");
        var running = run.cli();
        var sleeper = run.child();
        // The CLI is the JVM among this test's children whose command runs the job.
        var theCli = ProcessHandle.current().children().filter(child -> child.info().arguments()
                .map(args -> java.util.Arrays.asList(args).contains("local-ctrl-c")).orElse(false))
                .findFirst().orElseThrow();

        var kill = new ProcessBuilder("kill", "-INT", Long.toString(theCli.pid())).start();
        assertThat(kill.waitFor()).isZero();

        var result = running.get(30, TimeUnit.SECONDS);
        assertThat(sleeper.isAlive()).as("the command's child").isFalse();
        assertThat(jobs.get("local-ctrl-c").properties().status()).as(result.err()).isEqualTo("Canceled");
    }

    /** A CLI running a local job, and the child its command left in the background. */
    record Sleeping(CompletableFuture<Cli.Result> cli, ProcessHandle child) {
    }

    /** Starts job {@code name} here, whose command leaves a child sleeping, once it said it started. */
    static Sleeping sleeping(String name) throws IOException {
        var pidFile = scratch.resolve(name + ".pid");
        var running = CompletableFuture.supplyAsync(() -> cli.run("job", "create", "-n", name, "--compute", "local",
                "--env", "PIDS=" + pidFile, "--command", "sleep 300 & echo $! > \"$PIDS\"; echo started; wait"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.exists(pidFile) && jobs.logs(name, 0).text().contains("started"));
        return new Sleeping(running, ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow());
    }
}

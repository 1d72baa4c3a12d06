package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.archive.Tarballs;
import dev.hangar.client.ArmIds;
import dev.hangar.client.HangarClient;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostAccount;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.slurm.SlurmCluster;
import dev.hangar.testkit.ssh.ClientKey;
import dev.hangar.testkit.ssh.SshHost;
import dev.hangar.testkit.time.Waits;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Slurm (Debian's slurm-wlm: munged, slurmctld and slurmd, started by the test) attached as a compute: jobs
 * are submitted with sbatch, followed through squeue and sacct, canceled with scancel, their logs and outputs read from
 * their folders, both on Hangar's host and on a login node over SSH; a job runs as its requester's own account when
 * the attachment maps it; a killed Hangar follows its
 * Slurm jobs after a restart, never submitting one twice; detaching ends the compute's jobs; and the refusals.
 */
class SlurmComputesIT {
    static final String WS = WireFormatIT.WS;
    /** A second workspace, where the same Slurm cannot be attached again. */
    static final String TEAM = WS.replace("/workspaces/default", "/workspaces/team-ws");

    @TempDir
    static Path data;
    static Path slurmFolder;
    static SlurmCluster slurm;
    static ServerProcess server;
    static Https https;
    static String admin;
    /** An account of this host that jobs run as when the attachment maps the requester to it. */
    static HostAccount mapped;
    static String account;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(SlurmCluster.installed(), "Slurm is not installed: " + SlurmCluster.INSTALL_HINT);
        // Under /tmp, every folder traversable: jobs also run as another account, which must reach slurm.conf.
        slurmFolder = Files.createTempDirectory(Path.of("/tmp"), "hangar-slurm-it-");
        Files.setPosixFilePermissions(slurmFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        slurm = SlurmCluster.start(slurmFolder.resolve("cluster"), SlurmCluster.restInstalled());
        // The job folders' parent, as a shared filesystem offers it to every account: writable by all, sticky.
        Files.setPosixFilePermissions(Files.createDirectories(slurmFolder.resolve("jobs")),
                PosixFilePermissions.fromString("rwxrwxrwx"));
        Commands.run(List.of("chmod", "+t", slurmFolder.resolve("jobs").toString()), Map.of()).requireSuccess();
        mapped = HostAccount.create("hgr-slurm-");
        account = mapped.name();
        server = AttachedJobs.startServer(data);
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        jobs().createWorkspace(TEAM);
    }

    /** Each test attaches the one Slurm anew, which Hangar attaches once: what a test attached is detached after it. */
    @AfterEach
    void detachAll() {
        if (server == null) {
            return;
        }
        https.detachAll(admin, WS, TEAM);
    }

    static AttachedJobs jobs() {
        return new AttachedJobs(https, admin, WS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (slurm != null) {
                slurm.close();
            }
            if (mapped != null) {
                mapped.close();
            }
            if (slurmFolder != null) {
                Commands.run(List.of("rm", "-rf", slurmFolder.toString()), Map.of());
            }
        }
    }

    static String attachment(String extra) {
        return """
                {"properties":{"computeType":"Slurm","description":"the team's Slurm",
                 "properties":{"connection":"Local","slurmConf":"%s","workDirectory":"%s"%s}}}"""
                .formatted(slurm.conf(), slurmFolder.resolve("jobs"), extra);
    }

    static void attach(String name, String body) {
        jobs().attach(name, body);
    }

    static HttpResponse<String> submit(String job, String compute, String command, String extra) {
        return jobs().submit(job, compute, command, extra);
    }

    static JsonNode job(String job) {
        return jobs().job(job);
    }

    static JsonNode awaitStatus(String job, String... statuses) {
        return jobs().awaitStatus(job, statuses);
    }

    static String log(String job) {
        return jobs().log(job);
    }

    static List<String> history(String job) {
        var path = new ArrayList<String>();
        Https.json(https.send("GET", WS + "/jobs/" + job + "/history", admin, null)).get("value")
                .forEach(line -> path.add(line.get("to").asText() + ": " + line.get("reason").asText()));
        return path;
    }

    static String code(HttpResponse<String> response) {
        return AttachedJobs.code(response);
    }

    /** The Slurm job id the history of a job names. */
    static String slurmId(String job) {
        return history(job).stream().filter(line -> line.contains("submitted to Slurm as job")).findFirst()
                .orElseThrow().replaceAll(".*as job (\\d+).*", "$1");
    }

    @Test
    void anAttachedSlurmRunsJobsWithTheirCodeLogsAndOutputs(@TempDir Path work) throws Exception {
        attach("hpc", attachment(""));
        var shown = Https.json(https.send("GET", WS + "/computes/hpc", admin, null));
        assertThat(shown.at("/properties/computeType").asText()).isEqualTo("Slurm");
        assertThat(shown.at("/properties/isAttachedCompute").asBoolean()).isTrue();
        assertThat(shown.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        var properties = shown.at("/properties/properties");
        assertThat(properties.get("slurmVersion").asText()).matches("slurm.* \\d+\\.\\d+\\.\\d+");
        assertThat(properties.get("clusterName").asText()).isEqualTo("hangar-test");
        assertThat(properties.get("partition").asText()).isEqualTo("debug");
        assertThat(properties.get("nodeCount").asInt()).isEqualTo(1);
        assertThat(properties.get("cpusPerNode").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(properties.get("jobUser").asText()).isEqualTo("Connection");
        var listed = new ArrayList<String>();
        Https.json(https.send("GET", WS + "/computes", admin, null)).get("value")
                .forEach(compute -> listed.add(compute.get("name").asText()));
        assertThat(listed).contains("hpc");
        var nodes = Https.json(https.send("POST", WS + "/computes/hpc/listNodes", admin, null)).get("nodes");
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).get("nodeId").asText()).isEqualTo(slurm.node());
        assertThat(nodes.get(0).get("nodeState").asText()).isIn("idle", "running");

        var src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("train.sh"), "#!/bin/sh\necho \"training on $(cat data/input.txt) with"
                + " $LEARNING_RATE in $SLURM_JOB_PARTITION\"\nmkdir -p outputs && echo 0.93 > outputs/score"
                + " && echo $HANGAR_JOB_ID > outputs/job\n");
        Files.setPosixFilePermissions(src.resolve("train.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(src.resolve("data"));
        Files.writeString(src.resolve("data/input.txt"), "rows");
        try (var client = HangarClient.builder().server(server.url()).token(admin)
                .caCertificate(server.certificate()).build()) {
            var upload = client.codes(ArmIds.parseWorkspace(WS)).upload(src);
            var made = submit("on-slurm", "hpc", "./train.sh", ",\"codeId\":\"" + upload.code().id() + "\","
                    + "\"environmentVariables\":{\"LEARNING_RATE\":\"0.1 'quoted' $HOME\"}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            var done = awaitStatus("on-slurm", "Completed", "Failed", "Canceled");
            assertThat(done.at("/properties/status").asText()).as(log("on-slurm")).isEqualTo("Completed");
            assertThat(log("on-slurm")).isEqualTo("training on rows with 0.1 'quoted' $HOME in debug\n");
            assertThat(history("on-slurm")).anyMatch(line -> line.startsWith("Queued: submitted to Slurm as job"))
                    .anyMatch(line -> line.startsWith("Running"))
                    .last().asString().startsWith("Completed");
            var outputs = client.jobs(ArmIds.parseWorkspace(WS)).downloadOutputs("on-slurm", work.resolve("out"));
            assertThat(outputs.entries()).extracting(Tarballs.Entry::path)
                    .containsExactly("outputs/job", "outputs/score");
            assertThat(Files.readString(work.resolve("out/outputs/score"))).isEqualTo("0.93\n");
        }
        assertThat(slurm.slurm("squeue", "-h", "-t", "all", "-j", slurmId("on-slurm"), "-o", "%T").output().strip())
                .isEqualTo("COMPLETED");
        var folder = slurmFolder.resolve("jobs").resolve(Files.readString(work.resolve("out/outputs/job")).strip());
        await("the job's folder on Slurm's side removed once its outputs are kept").atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(folder));

        submit("fails", "hpc", "echo before; exit 3", "");
        var failed = awaitStatus("fails", "Completed", "Failed", "Canceled");
        assertThat(failed.at("/properties/status").asText()).isEqualTo("Failed");
        assertThat(failed.at("/properties/error/code").asText()).isEqualTo("JobFailed");
        assertThat(failed.at("/properties/error/message").asText()).contains("exited with 3");
        assertThat(log("fails")).isEqualTo("before\n");
    }

    /**
     * Over SSH to a login node (a real OpenSSH sshd on the loopback, logged in with a key as a service account that
     * may sudo): the host key is pinned at attach, the key never shows in a GET but does in listKeys, and a job runs.
     */
    @Test
    void aSlurmReachedOverSshRunsJobsAndKeepsItsKeySecret() {
        Assumptions.assumeTrue(SshHost.installed(), "sshd is not installed: " + SshHost.INSTALL_HINT);
        var key = ClientKey.generate();
        try (var service = HostAccount.create("hgr-login-").allowSudo();
                var login = SshHost.start(slurmFolder.resolve("login"))) {
            login.authorize(service.name(), key.publicKey());
            var body = """
                    {"properties":{"computeType":"Slurm","properties":{"address":"127.0.0.1","sshPort":%d,
                     "administratorAccount":{"username":"%s","privateKeyData":%s},"slurmConf":"%s",
                     "workDirectory":"%s"}}}""".formatted(login.port(), service.name(),
                    Https.JSON.valueToTree(key.privateKey()).toString(), slurm.conf(), slurmFolder.resolve("jobs"));
            attach("hpc-ssh", body);
            var shown = https.send("GET", WS + "/computes/hpc-ssh", admin, null);
            assertThat(shown.body()).doesNotContain(key.privateKey().lines().skip(1).findFirst().orElseThrow());
            var properties = Https.json(shown).at("/properties/properties");
            assertThat(properties.get("connection").asText()).isEqualTo("Ssh");
            assertThat(properties.get("hostKey").asText()).as("pinned at attach").isEqualTo(login.hostKey());
            assertThat(properties.at("/administratorAccount/username").asText()).isEqualTo(service.name());
            assertThat(properties.at("/administratorAccount/privateKeyData").isNull()).isTrue();
            var keys = Https.json(https.send("POST", WS + "/computes/hpc-ssh/listKeys", admin, null));
            assertThat(keys.at("/administratorAccount/privateKeyData").asText()).isEqualTo(key.privateKey());

            // The same login node again, from a workspace where its compute is not: refused before it is reached,
            // and to a contributor of that workspace alone, without naming what they may not see.
            var olga = https.createUser(admin, "olga", null);
            var olgaId = Https.json(https.send("GET", "/hangar/v1/session", olga, null)).at("/user/id").asText();
            var given = https.send("PUT", TEAM + "/providers/Microsoft.Authorization/roleAssignments/"
                    + java.util.UUID.randomUUID(), admin, "{\"properties\":{\"roleDefinitionId\":\""
                    + dev.hangar.core.access.RoleDefinition.CONTRIBUTOR_ID + "\",\"principalId\":\"" + olgaId + "\"}}");
            assertThat(given.statusCode()).as(given.body()).isIn(200, 201);
            var again = https.send("PUT", TEAM + "/computes/login-again", olga,
                    body.replace("\"address\":\"127.0.0.1\"", "\"address\":\"127.0.0.1\",\"connection\":\"SSH\""));
            assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
            assertThat(code(again)).isEqualTo("ComputeAlreadyAttached");
            assertThat(Https.json(again).at("/error/message").asText())
                    .contains("ssh://127.0.0.1:" + login.port(), "as a compute of another workspace")
                    .doesNotContain("hpc-ssh").doesNotContain("'default'");
            assertThat(https.send("GET", TEAM + "/computes/login-again", admin, null).statusCode()).isEqualTo(404);

            // Another contributor may retag it, but not borrow its credentials for another account.
            var dave = https.createUser(admin, "dave");
            var retagged = https.send("PUT", WS + "/computes/hpc-ssh", dave, """
                    {"tags":{"team":"hpc"},"properties":{"computeType":"Slurm","properties":{}}}""");
            assertThat(retagged.statusCode()).as(retagged.body()).isEqualTo(200);
            assertThat(Https.json(retagged).at("/tags/team").asText()).isEqualTo("hpc");
            assertThat(Https.json(retagged).at("/properties/properties/address").asText()).isEqualTo("127.0.0.1");
            var asShown = Https.json(https.send("GET", WS + "/computes/hpc-ssh", dave, null));
            var unchanged = https.send("PUT", WS + "/computes/hpc-ssh", dave, asShown.toString());
            assertThat(unchanged.statusCode()).as("a GET's body sent back " + unchanged.body()).isEqualTo(200);
            var remapped = https.send("PUT", WS + "/computes/hpc-ssh", dave, """
                    {"properties":{"computeType":"Slurm","properties":{"jobUser":"Requester",
                     "userMap":{"dave":"root"}}}}""");
            assertThat(remapped.statusCode()).as(remapped.body()).isEqualTo(403);
            assertThat(code(remapped)).isEqualTo("AuthorizationFailed");

            submit("over-ssh", "hpc-ssh", "echo \"on $SLURM_JOB_PARTITION as $(id -un)\"", "");
            var done = awaitStatus("over-ssh", "Completed", "Failed", "Canceled");
            assertThat(done.at("/properties/status").asText()).as(done.toString()).isEqualTo("Completed");
            assertThat(log("over-ssh")).isEqualTo("on debug as " + service.name() + "\n");
            // Detached while the login node still answers, so that its engine's session ends with it.
            https.send("DELETE", WS + "/computes/hpc-ssh?underlyingResourceAction=Detach", admin, null);
        }
    }

    /** Through slurmrestd (JWT), with the job folders on a filesystem Hangar's host shares: the token stays secret. */
    @Test
    void aSlurmReachedThroughSlurmrestdRunsJobs() {
        Assumptions.assumeTrue(SlurmCluster.restInstalled(), "slurmrestd is not installed: " + SlurmCluster.INSTALL_HINT);
        var token = slurm.token("root", Duration.ofHours(1));
        attach("hpc-rest", """
                {"properties":{"computeType":"Slurm","properties":{"restUrl":"%s","restUser":"root","restToken":"%s",
                 "slurmConf":"%s","workDirectory":"%s"}}}""".formatted(slurm.restUrl(), token, slurm.conf(),
                slurmFolder.resolve("jobs")));
        var shown = https.send("GET", WS + "/computes/hpc-rest", admin, null);
        assertThat(shown.body()).doesNotContain(token);
        var properties = Https.json(shown).at("/properties/properties");
        assertThat(properties.get("connection").asText()).isEqualTo("Rest");
        assertThat(properties.get("restUrl").asText()).isEqualTo(slurm.restUrl());
        assertThat(properties.get("partition").asText()).isEqualTo("debug");
        assertThat(Https.json(https.send("POST", WS + "/computes/hpc-rest/listKeys", admin, null)).get("restToken")
                .asText()).isEqualTo(token);

        submit("over-rest", "hpc-rest", "echo \"on $SLURM_JOB_PARTITION with ${GREETING}\"",
                ",\"environmentVariables\":{\"GREETING\":\"hello\"}");
        var done = awaitStatus("over-rest", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(log("over-rest")).isEqualTo("on debug with hello\n");
        assertThat(history("over-rest")).anyMatch(line -> line.contains("submitted to Slurm as job"));
    }

    /**
     * One Slurm is attached once, in any workspace, however its address is written: a second attach is 409 naming the
     * first (to a caller who may see it), before Slurm is reached, and records nothing; a change of the first is no
     * second attach. It counts no cores against the quota.
     */
    @Test
    void aSlurmIsAttachedOnceInAnyWorkspace() {
        attach("hpc-once", attachment(""));
        var conf = slurm.conf();
        var sameConf = attachment("").replace(conf.toString(), conf.getParent() + "/./" + conf.getFileName());
        assertThat(sameConf).doesNotContain("\"" + conf + "\"");

        var twice = https.send("PUT", WS + "/computes/hpc-twice?api-version=2024-04-01", admin, sameConf);
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(409);
        assertThat(code(twice)).isEqualTo("ComputeAlreadyAttached");
        assertThat(Https.json(twice).at("/error/message").asText())
                .contains("as compute 'hpc-once' in workspace 'default'");
        assertThat(https.send("GET", WS + "/computes/hpc-twice", admin, null).statusCode()).isEqualTo(404);

        var elsewhere = https.send("PUT", TEAM + "/computes/hpc-team?api-version=2024-04-01", admin, sameConf);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(409);
        assertThat(code(elsewhere)).isEqualTo("ComputeAlreadyAttached");
        assertThat(Https.json(elsewhere).at("/error/message").asText())
                .contains("as compute 'hpc-once' in workspace 'default'");
        assertThat(https.send("GET", TEAM + "/computes/hpc-team", admin, null).statusCode()).isEqualTo(404);
        var names = new ArrayList<String>();
        for (var workspace : List.of(WS, TEAM)) {
            Https.json(https.send("GET", workspace + "/computes", admin, null)).get("value")
                    .forEach(compute -> names.add(compute.get("name").asText()));
        }
        assertThat(names).as("nothing recorded by the refusals").containsExactly("hpc-once");

        var changed = https.send("PUT", WS + "/computes/hpc-once?api-version=2024-04-01", admin,
                sameConf.replace("the team's Slurm", "the team's Slurm, debug only")
                        .replace("}}}", ",\"partition\":\"debug\"}}}"));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(Https.json(changed).at("/properties/description").asText())
                .isEqualTo("the team's Slurm, debug only");

        var location = Https.json(https.send("GET", WS, admin, null)).get("location").asText();
        var usages = https.send("GET", WS.substring(0, WS.indexOf("/resourceGroups"))
                + "/providers/Microsoft.MachineLearningServices/locations/" + location
                + "/usages?api-version=2024-04-01&expandChildren=true", admin, null);
        assertThat(usages.statusCode()).as(usages.body()).isEqualTo(200);
        Https.json(usages).get("value").forEach(line -> assertThat(line.get("currentValue").asLong())
                .as("cores in use, with only an attached compute: " + line).isZero());
        var attachedLines = new ArrayList<JsonNode>();
        Https.json(usages).get("value").forEach(line -> {
            if (line.get("id").asText().contains("/computes/hpc-once/")) {
                attachedLines.add(line);
            }
        });
        assertThat(attachedLines).as("listed as attached, holding no cores").singleElement().satisfies(line -> {
            assertThat(line.at("/name/value").asText()).isEqualTo("Attached Slurm vCPUs");
            assertThat(line.get("type").asText())
                    .isEqualTo("Microsoft.MachineLearningServices/workspaces/computes/usages");
            assertThat(line.get("limit").asLong()).isEqualTo(-1);
        });
        var unexpanded = https.send("GET", WS.substring(0, WS.indexOf("/resourceGroups"))
                + "/providers/Microsoft.MachineLearningServices/locations/" + location
                + "/usages?api-version=2024-04-01", admin, null);
        assertThat(unexpanded.body()).as("only expanded usages list computes").doesNotContain("hpc-once");
    }

    /**
     * Attached on Hangar's own host (Local, and Rest, whose job files are made there) Slurm would lend Hangar's own
     * account to every job: only an administrator may attach it so, and a refused attach reaches nothing.
     */
    @Test
    void onlyAnAdministratorAttachesASlurmThatWorksOnHangarsHost() {
        var contributor = https.createUser(admin, "carol");
        var local = https.send("PUT", WS + "/computes/hpc-carol", contributor, attachment(""));
        assertThat(local.statusCode()).as(local.body()).isEqualTo(403);
        assertThat(code(local)).isEqualTo("AuthorizationFailed");
        if (SlurmCluster.restInstalled()) {
            var rest = https.send("PUT", WS + "/computes/hpc-carol", contributor, """
                    {"properties":{"computeType":"Slurm","properties":{"restUrl":"%s","restUser":"root",
                     "restToken":"%s","workDirectory":"/root"}}}""".formatted(slurm.restUrl(),
                    slurm.token("root", Duration.ofMinutes(5))));
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(403);
        }
        assertThat(https.send("GET", WS + "/computes/hpc-carol", admin, null).statusCode()).isEqualTo(404);
    }

    /**
     * The job azure-ai-ml sends in Hangar's curated environment runs on Slurm's nodes, in their own environment, as a
     * job without one does; an environment of an image is refused, naming the curated one, and nothing is recorded.
     */
    @Test
    void theSdksJobInTheCuratedEnvironmentRunsOnTheNodes() {
        attach("hpc-sdk", attachment(""));
        var computeId = WS + "/computes/hpc-sdk";
        var sent = https.send("PUT", WS + "/jobs/sdk-own?api-version=2023-04-01", admin, EnvironmentsIT.sdkJob(
                "sdk-own", computeId, "azureml:hangar-instance@latest", "echo \"on $SLURM_JOB_PARTITION\""));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        var done = awaitStatus("sdk-own", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).as(done + log("sdk-own")).isEqualTo("Completed");
        assertThat(log("sdk-own")).isEqualTo("on debug\n");
        assertThat(done.at("/properties/environmentId").asText())
                .isEqualTo(WS + "/environments/hangar-instance/versions/1");

        assertThat(https.send("PUT", WS + "/environments/slurm-image/versions/1", admin,
                "{\"properties\":{\"image\":\"localhost/hangar-instance:latest\"}}").statusCode()).isEqualTo(201);
        var image = https.send("PUT", WS + "/jobs/sdk-image", admin, EnvironmentsIT.sdkJob("sdk-image", computeId,
                "azureml:slurm-image:1", "true"));
        assertThat(code(image)).isEqualTo("ImagesUnsupported");
        assertThat(Https.json(image).at("/error/message").asText()).contains("azureml:hangar-instance@latest");
        assertThat(https.send("GET", WS + "/jobs/sdk-image", admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aCancelEndsTheSlurmJobAndItsProcesses() {
        attach("hpc-cancel", attachment(""));
        submit("long", "hpc-cancel", "echo started; sleep 300", "");
        await().atMost(Waits.SCHEDULER_STEP).until(() -> log("long").contains("started"));
        assertThat(job("long").at("/properties/status").asText()).isEqualTo("Running");
        var id = slurmId("long");
        assertThat(https.send("POST", WS + "/jobs/long/cancel", admin, null).statusCode()).isIn(200, 202);
        var canceled = awaitStatus("long", "Completed", "Failed", "Canceled");
        assertThat(canceled.at("/properties/status").asText()).isEqualTo("Canceled");
        assertThat(slurm.slurm("squeue", "-h", "-t", "all", "-j", id, "-o", "%T").output().strip())
                .isEqualTo("CANCELLED");
        await("no process of the job left").atMost(Waits.SCHEDULER_STEP).until(() ->
                HostProcesses.withEnvironment("SLURM_JOB_ID", id).isEmpty());
    }

    /**
     * A job Slurm keeps pending (its partition is down) is Queued in Hangar, and a cancel takes it out of Slurm's
     * queue and removes its folder.
     */
    @Test
    void aJobPendingInSlurmIsQueuedAndCanceledThere() {
        attach("hpc-pending", attachment(""));
        slurm.slurm("scontrol", "update", "PartitionName=debug", "State=DOWN").requireSuccess();
        try {
            submit("held", "hpc-pending", "echo never", "");
            await().atMost(Waits.SCHEDULER_STEP).until(() -> history("held").stream()
                    .anyMatch(line -> line.contains("submitted to Slurm as job")));
            var id = slurmId("held");
            assertThat(slurm.slurm("squeue", "-h", "-j", id, "-o", "%T|%r").output().strip())
                    .isEqualTo("PENDING|PartitionDown");
            assertThat(job("held").at("/properties/status").asText()).isEqualTo("Queued");
            assertThat(https.send("POST", WS + "/jobs/held/cancel", admin, null).statusCode()).isIn(200, 202);
            assertThat(job("held").at("/properties/status").asText()).isEqualTo("Canceled");
            await().atMost(Waits.SCHEDULER_STEP).until(() -> slurm.slurm("squeue", "-h", "-t", "all", "-j", id,
                    "-o", "%T").output().strip().equals("CANCELLED"));
            await("the job's folder removed").atMost(Waits.SCHEDULER_STEP).until(() -> {
                try (var folders = Files.list(slurmFolder.resolve("jobs"))) {
                    return folders.noneMatch(folder -> Files.exists(folder.resolve("job.sh"))
                            && readQuietly(folder.resolve("job.sh")).contains("echo never"));
                }
            });
            assertThat(log("held")).isEmpty();
        } finally {
            slurm.slurm("scontrol", "update", "PartitionName=debug", "State=UP").requireSuccess();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void jobsRunAsTheAccountTheAttachmentMapsTheirRequesterTo() {
        attach("hpc-users", attachment(",\"jobUser\":\"Requester\",\"userMap\":{\"admin\":\"" + account + "\"}"));
        assertThat(Https.json(https.send("GET", WS + "/computes/hpc-users", admin, null))
                .at("/properties/properties/userMap/admin").asText()).isEqualTo(account);
        submit("whoami", "hpc-users", "id -un; pwd", "");
        var done = awaitStatus("whoami", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).as(done + log("whoami")).isEqualTo("Completed");
        assertThat(log("whoami")).startsWith(account + "\n" + slurmFolder.resolve("jobs"));
        assertThat(history("whoami")).anyMatch(line -> line.contains(", as " + account));

        // Another user has no account there: refused at submit, nothing recorded.
        var mallory = https.createUser(admin, "mallory");
        var refused = https.send("PUT", WS + "/jobs/mallory-job", mallory, """
                {"properties":{"jobType":"Command","command":"id","computeId":"hpc-users"}}""");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("EngineUserNotMapped");
        assertThat(https.send("GET", WS + "/jobs/mallory-job", admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aKilledHangarFollowsItsSlurmJobsAfterARestartAndNeverSubmitsOneTwice() throws Exception {
        attach("hpc-crash", attachment(""));
        submit("survives", "hpc-crash", "echo started; sleep 3; echo ran >> " + slurmFolder.resolve("ran.txt")
                + "; echo done", "");
        await().atMost(Waits.SCHEDULER_STEP).until(() -> log("survives").contains("started"));
        server.kill();
        server.start();
        https = new Https(server.url(), server.certificate());
        var done = awaitStatus("survives", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).as(log("survives")).isEqualTo("Completed");
        assertThat(log("survives")).isEqualTo("started\ndone\n");
        assertThat(Files.readAllLines(slurmFolder.resolve("ran.txt"))).containsExactly("ran");
    }

    @Test
    void detachingEndsTheComputesJobsOnSlurm() {
        attach("hpc-detach", attachment(""));
        submit("cut-short", "hpc-detach", "echo started; sleep 300", "");
        await().atMost(Waits.SCHEDULER_STEP).until(() -> log("cut-short").contains("started"));
        var id = slurmId("cut-short");
        var detached = https.send("DELETE", WS + "/computes/hpc-detach?underlyingResourceAction=Detach", admin, null);
        assertThat(detached.statusCode()).as(detached.body()).isEqualTo(202);
        assertThat(https.send("GET", WS + "/computes/hpc-detach", admin, null).statusCode()).isEqualTo(404);
        var ended = job("cut-short");
        assertThat(ended.at("/properties/status").asText()).isEqualTo("Failed");
        assertThat(ended.at("/properties/error/code").asText()).isEqualTo("ComputeDetached");
        assertThat(ended.at("/properties/error/message").asText()).contains("Slurm job " + id + " was canceled");
        await().atMost(Waits.SCHEDULER_STEP).until(() -> slurm.slurm("squeue", "-h", "-t", "all", "-j", id, "-o",
                "%T").output().strip().equals("CANCELLED"));
    }

    @Test
    void whatCannotBeIsRefusedAndNothingIsRecorded() throws Exception {
        // A controller nobody answers at: a copy of slurm.conf pointing at a port where nothing listens.
        var down = slurmFolder.resolve("down.conf");
        Files.writeString(down, Files.readString(slurm.conf()).replaceAll("SlurmctldPort=\\d+", "SlurmctldPort="
                + dev.hangar.testkit.process.Ports.freeLoopback()) + "MessageTimeout=2\n");
        var unreachable = https.send("PUT", WS + "/computes/hpc-down", admin, """
                {"properties":{"computeType":"Slurm","properties":{"slurmConf":"%s"}}}""".formatted(down));
        assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(400);
        assertThat(code(unreachable)).isEqualTo("SlurmControllerUnreachable");
        assertThat(https.send("GET", WS + "/computes/hpc-down", admin, null).statusCode()).isEqualTo(404);

        var partition = https.send("PUT", WS + "/computes/hpc-nopart", admin, attachment(",\"partition\":\"gpu\""));
        assertThat(code(partition)).isEqualTo("SlurmPartitionNotFound");
        var setting = https.send("PUT", WS + "/computes/hpc-typo", admin, attachment(",\"partiton\":\"debug\""));
        assertThat(code(setting)).isEqualTo("InvalidSlurmSetting");
        assertThat(Https.json(setting).at("/error/message").asText()).contains("partiton");

        attach("hpc-refusals", attachment(""));
        assertThat(code(submit("two-nodes", "hpc-refusals", "hostname", ",\"resources\":{\"instanceCount\":2}")))
                .isEqualTo("InvalidInstanceCount");
        assertThat(code(submit("many-cores", "hpc-refusals", "hostname", ",\"resources\":{\"cores\":999}")))
                .isEqualTo("InvalidJobCores");
        assertThat(code(https.send("POST", WS + "/computes/hpc-refusals/start", admin, null)))
                .isEqualTo("OperationNotSupported");
        assertThat(code(https.send("PATCH", WS + "/computes/hpc-refusals", admin, "{}")))
                .isEqualTo("OperationNotSupported");
        var instance = https.send("PUT", WS + "/computes/hpc-refusals", admin, WireFormatIT.CREATE);
        assertThat(code(instance)).isEqualTo("ComputeTypeCannotBeUpdated");
        var keys = Https.json(https.send("POST", WS + "/computes/hpc-refusals/listKeys", admin, null));
        assertThat(keys.get("computeType").asText()).isEqualTo("Slurm");
    }
}

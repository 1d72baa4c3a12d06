package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code hangar compute} on attached Slurm clusters: attach (options and YAML), show, list, list-nodes, detach. */
class SlurmCommandsTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJoYW5nYXIifQ.c2lnbmF0dXJl";
    private static final String REST_URL = "http://slurm-api.example:6820";
    private static final String REST_YAML = """
            name: hpc
            type: slurm
            rest_url: http://slurm-api.example:6820
            rest_user: hangar
            rest_token_file: tokens/hangar.jwt
            partition: batch
            work_directory: /shared/hangar
            """;
    private static final String SLURM_YAML = """
            name: hpc
            type: slurm
            description: the HPC cluster
            tags:
              team: hpc
            address: login1.example
            ssh_port: 2222
            admin_username: svc
            ssh_private_key_file: keys/svc
            slurm_conf: /etc/slurm/slurm.conf
            partition: cpu
            work_directory: /shared/hangar
            host_key: ssh-ed25519 AAAAC3Nz
            job_user: requester
            user_map:
              alice: alice1
              bob: bob
            resource_id: /subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachines/login1
            """;

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void attachFromOptionsSendsTheKeyAndShowsTheComputeWithoutIt() throws IOException {
        var key = Files.writeString(home.resolve("svc_key"), KEY);
        scriptAttach("hpc", Arm.slurm("hpc"));

        var result = cli.run("compute", "attach", "-n", "hpc", "--type", "slurm", "--address", "login1.example",
                "--ssh-port", "2222", "--admin-username", "svc", "--ssh-private-key-file", key.toString(),
                "--ssh-key-passphrase", "open-sesame", "--slurm-conf", "/etc/slurm/slurm.conf", "--partition", "gpu",
                "--work-directory", "/shared/hangar", "--host-key", "ssh-ed25519 AAAAC3Nz", "--job-user", "Requester",
                "--map-user", "alice=alice1", "--map-user", "bob=bob", "--description", "the HPC cluster",
                "--tag", "team=hpc");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "hpc")).isEqualTo(parse("""
                {"location":"local","tags":{"team":"hpc"},
                 "properties":{"computeType":"Slurm","description":"the HPC cluster",
                  "properties":{"connection":"Ssh","address":"login1.example","sshPort":2222,
                   "administratorAccount":{"username":"svc","privateKeyData":%s,"passphrase":"open-sesame"},
                   "slurmConf":"/etc/slurm/slurm.conf","partition":"gpu","workDirectory":"/shared/hangar",
                   "hostKey":"ssh-ed25519 AAAAC3Nz","jobUser":"Requester","userMap":{"alice":"alice1","bob":"bob"}}}}"""
                .formatted(json.writeValueAsString(KEY))));
        assertThat(result.outLines()).startsWith("Succeeded", "Name                hpc")
                .contains("Address             login1.example:2222", "Partition           gpu");
        assertThat(result.out() + result.err()).doesNotContain("OPENSSH", "b3BlbnNzaC1rZXkt", "open-sesame");
    }

    @Test
    void attachFromYamlReadsTheKeyBesideItAndOptionsOverrideItsKeys() throws IOException {
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/svc"), KEY);
        var file = Files.writeString(home.resolve("slurm.yml"), SLURM_YAML);
        scriptAttach("hpc", Arm.slurm("hpc"));

        var result = cli.run("compute", "attach", "-f", file.toString(), "--partition", "gpu",
                "--map-user", "carol=carol", "--map-user", "bob=robert", "--tag", "owner=alice", "--no-wait",
                "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.errLines()).containsExactly("Note: 'resource_id' in slurm.yml is not used by Hangar.");
        assertThat(sent("PUT", "hpc")).isEqualTo(parse("""
                {"location":"local","tags":{"team":"hpc","owner":"alice"},
                 "properties":{"computeType":"Slurm","description":"the HPC cluster",
                  "properties":{"connection":"Ssh","address":"login1.example","sshPort":2222,
                   "administratorAccount":{"username":"svc","privateKeyData":%s},
                   "slurmConf":"/etc/slurm/slurm.conf","partition":"gpu","workDirectory":"/shared/hangar",
                   "hostKey":"ssh-ed25519 AAAAC3Nz","jobUser":"Requester",
                   "userMap":{"alice":"alice1","bob":"robert","carol":"carol"}}}}"""
                .formatted(json.writeValueAsString(KEY))));
        assertThat(parse(result.out()).at("/properties/computeType").asText()).isEqualTo("Slurm");
        assertThat(result.out()).doesNotContain("OPENSSH");
    }

    @Test
    void attachWithoutAConnectionRunsSlurmOnTheServersHost() {
        scriptAttach("local-hpc", Arm.localSlurm("local-hpc", null));

        var result = cli.run("compute", "attach", "-n", "local-hpc", "-t", "Slurm");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "local-hpc")).isEqualTo(parse("""
                {"location":"local","properties":{"computeType":"Slurm","properties":{"connection":"Local"}}}"""));
        assertThat(result.outLines()).contains("Connection          Local", "Account             hangar");
    }

    @Test
    void aRefusalOfTheServerIsOneErrorLineWithoutTheKey() throws IOException {
        var key = Files.writeString(home.resolve("svc_key"), KEY);
        server.on("PUT", Arm.compute("hpc"), Reply.json(400, Arm.error("SlurmControllerUnreachable",
                "Cannot attach Slurm as 'hpc': slurmctld does not answer")));

        var result = cli.run("compute", "attach", "-n", "hpc", "--type", "slurm", "--address", "login1.example",
                "--admin-username", "svc", "--ssh-private-key-file", key.toString(), "--verbose");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).first().isEqualTo("ERROR: SlurmControllerUnreachable: Cannot attach Slurm as"
                + " 'hpc': slurmctld does not answer");
        assertThat(result.out() + result.err()).doesNotContain("OPENSSH");
    }

    @Test
    void attachFromRestOptionsSendsTheTokenAndShowsTheUrlAndUserWithoutIt() {
        scriptAttach("hpc", Arm.restSlurm("hpc"));

        var result = cli.run("compute", "attach", "-n", "hpc", "--type", "slurm", "--rest-url", REST_URL,
                "--rest-user", "hangar", "--rest-token", JWT, "--partition", "batch", "--work-directory",
                "/shared/hangar");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "hpc")).isEqualTo(parse("""
                {"location":"local","properties":{"computeType":"Slurm",
                  "properties":{"connection":"Rest","partition":"batch","workDirectory":"/shared/hangar",
                   "restUrl":"http://slurm-api.example:6820","restUser":"hangar","restToken":"%s"}}}""".formatted(JWT)));
        assertThat(result.outLines()).containsSubsequence("Connection          Rest",
                "REST URL            http://slurm-api.example:6820", "REST user           hangar",
                "Partition           batch");
        assertThat(result.out() + result.err()).doesNotContain(JWT, "eyJ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenFiles")
    void aRestTokenFileIsReadStrippedAndWithoutItsSlurmJwtPrefix(String description, String text) throws IOException {
        var tokenFile = Files.writeString(home.resolve("hangar.jwt"), text);
        scriptAttach("hpc", Arm.restSlurm("hpc"));

        var result = cli.run("compute", "attach", "-n", "hpc", "--type", "slurm", "--connection", "rest",
                "--rest-url", REST_URL, "--rest-user", "hangar", "--rest-token-file", tokenFile.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "hpc").at("/properties/properties/restToken").asText()).isEqualTo(JWT);
        assertThat(result.out() + result.err()).doesNotContain(JWT, "eyJ");
    }

    static Stream<Arguments> tokenFiles() {
        return Stream.of(
                Arguments.of("as scontrol token writes it", "SLURM_JWT=" + JWT + "\n"),
                Arguments.of("the token alone, with blanks around it", "  " + JWT + "\n\n"),
                Arguments.of("the token alone, without a line end", JWT));
    }

    @Test
    void attachFromRestYamlReadsTheTokenFileBesideIt() throws IOException {
        Files.createDirectories(home.resolve("tokens"));
        Files.writeString(home.resolve("tokens/hangar.jwt"), "SLURM_JWT=" + JWT + "\n");
        var file = Files.writeString(home.resolve("slurm.yml"), REST_YAML);
        scriptAttach("hpc", Arm.restSlurm("hpc"));

        var result = cli.run("compute", "attach", "-f", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.errLines()).isEmpty();
        assertThat(sent("PUT", "hpc")).isEqualTo(parse("""
                {"location":"local","properties":{"computeType":"Slurm",
                  "properties":{"connection":"Rest","partition":"batch","workDirectory":"/shared/hangar",
                   "restUrl":"http://slurm-api.example:6820","restUser":"hangar","restToken":"%s"}}}""".formatted(JWT)));
        assertThat(result.out() + result.err()).doesNotContain(JWT, "eyJ");
    }

    @Test
    void aRestTokenOptionReplacesTheYamlsTokenFileAndOptionsOverrideItsKeys() throws IOException {
        // tokens/hangar.jwt does not exist: the option stands for it, so it is not read
        var file = Files.writeString(home.resolve("slurm.yml"), REST_YAML);
        scriptAttach("hpc", Arm.restSlurm("hpc"));

        var result = cli.run("compute", "attach", "-f", file.toString(), "--rest-token", "SLURM_JWT=" + JWT,
                "--rest-url", "https://slurm-api.example:6821", "--rest-user", "svc");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "hpc").at("/properties/properties")).isEqualTo(parse("""
                {"connection":"Rest","partition":"batch","workDirectory":"/shared/hangar",
                 "restUrl":"https://slurm-api.example:6821","restUser":"svc","restToken":"%s"}""".formatted(JWT)));
    }

    @Test
    void aRestChangeWithoutATokenSendsNoneSoTheRecordedOneStays() {
        scriptAttach("hpc", Arm.restSlurm("hpc"));

        var result = cli.run("compute", "attach", "-n", "hpc", "--type", "slurm", "--rest-url", REST_URL,
                "--rest-user", "hangar", "--partition", "gpu");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "hpc").at("/properties/properties")).isEqualTo(parse("""
                {"connection":"Rest","partition":"gpu","restUrl":"http://slurm-api.example:6820",
                 "restUser":"hangar"}"""));
    }

    @Test
    void aRefusalOfARestAttachIsOneErrorLineWithoutTheToken() {
        server.on("PUT", Arm.compute("hpc"), Reply.json(400, Arm.error("SlurmAuthenticationFailed",
                "Cannot attach Slurm as 'hpc': slurmrestd refused the token of hangar")));

        var result = cli.run("compute", "attach", "-n", "hpc", "--type", "slurm", "--rest-url", REST_URL,
                "--rest-user", "hangar", "--rest-token", JWT, "--verbose");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).first().isEqualTo("ERROR: SlurmAuthenticationFailed: Cannot attach Slurm as"
                + " 'hpc': slurmrestd refused the token of hangar");
        assertThat(result.out() + result.err()).doesNotContain(JWT, "eyJ");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("ssh options for a local connection", null, new String[] {"compute", "attach", "-n",
                    "hpc", "--type", "slurm", "--connection", "local", "--ssh-port", "22", "--host-key", "ssh-ed25519 A"},
                        "ERROR: InvalidComputeOption: --ssh-port (ssh_port), --host-key (host_key) apply to connection"
                                + " ssh only, not to local"),
                Arguments.of("an address for a local connection in the file", "name: hpc\ntype: slurm\n"
                        + "connection: local\naddress: login1\n", new String[] {"compute", "attach", "-f", "{yaml}"},
                        "ERROR: InvalidComputeOption: --address (address) applies to connection ssh only"),
                Arguments.of("ssh without an address", null, new String[] {"compute", "attach", "-n", "hpc", "--type",
                    "slurm", "--connection", "ssh", "--admin-username", "svc"},
                        "ERROR: MissingComputeField: connection ssh needs the login node's address"),
                Arguments.of("an unknown connection", null, new String[] {"compute", "attach", "-n", "hpc", "--type",
                    "slurm", "--connection", "telnet"},
                        "ERROR: InvalidComputeOption: a connection is local, ssh or rest, not 'telnet'"),
                Arguments.of("ssh options for a rest connection", null, new String[] {"compute", "attach", "-n", "hpc",
                    "--type", "slurm", "--rest-url", REST_URL, "--rest-user", "hangar", "--rest-token", JWT,
                    "--address", "login1", "--admin-password", "pw"},
                        "ERROR: InvalidComputeOption: --address (address), --admin-password apply to connection ssh"
                                + " only, not to rest"),
                Arguments.of("rest options for a local connection", null, new String[] {"compute", "attach", "-n",
                    "hpc", "--type", "slurm", "--connection", "local", "--rest-user", "hangar", "--rest-token", JWT},
                        "ERROR: InvalidComputeOption: --rest-user (rest_user), --rest-token apply to connection rest"
                                + " only, not to local"),
                Arguments.of("a rest url for an ssh connection in the file", "name: hpc\ntype: slurm\n"
                        + "connection: ssh\naddress: login1\nrest_url: " + REST_URL + "\n",
                        new String[] {"compute", "attach", "-f", "{yaml}"},
                        "ERROR: InvalidComputeOption: --rest-url (rest_url) applies to connection rest only, not to"
                                + " ssh"),
                Arguments.of("rest without a url", null, new String[] {"compute", "attach", "-n", "hpc", "--type",
                    "slurm", "--connection", "rest", "--rest-user", "hangar", "--rest-token", JWT},
                        "ERROR: MissingComputeField: connection rest needs slurmrestd's URL (--rest-url, or rest_url"
                                + " in the YAML)"),
                Arguments.of("rest without a user", null, new String[] {"compute", "attach", "-n", "hpc", "--type",
                    "slurm", "--rest-url", REST_URL, "--rest-token", JWT},
                        "ERROR: MissingComputeField: connection rest needs the account the token is for (--rest-user,"
                                + " or rest_user in the YAML)"),
                Arguments.of("a token and a token file", null, new String[] {"compute", "attach", "-n", "hpc",
                    "--type", "slurm", "--rest-url", REST_URL, "--rest-user", "hangar", "--rest-token", JWT,
                    "--rest-token-file", "{token}"},
                        "ERROR: InvalidComputeOption: give the token with --rest-token or --rest-token-file, not both"),
                Arguments.of("a token file that does not exist", null, new String[] {"compute", "attach", "-n", "hpc",
                    "--type", "slurm", "--rest-url", REST_URL, "--rest-user", "hangar", "--rest-token-file",
                    "{missing}"},
                        "ERROR: InvalidComputeOption: cannot read the REST token file {missing}: there is no such file"),
                Arguments.of("a token file without a token", null, new String[] {"compute", "attach", "-n", "hpc",
                    "--type", "slurm", "--rest-url", REST_URL, "--rest-user", "hangar", "--rest-token-file",
                    "{empty}"},
                        "ERROR: InvalidComputeOption: the REST token file {empty} holds no token"),
                Arguments.of("an empty token", null, new String[] {"compute", "attach", "-n", "hpc", "--type", "slurm",
                    "--rest-url", REST_URL, "--rest-user", "hangar", "--rest-token", " "},
                        "ERROR: InvalidComputeOption: --rest-token holds no token"),
                Arguments.of("an unknown job user", "name: hpc\ntype: slurm\njob_user: root\n",
                        new String[] {"compute", "attach", "-f", "{yaml}"},
                        "ERROR: InvalidComputeOption: a job user is connection or requester, not 'root'"),
                Arguments.of("a type Hangar does not attach", null, new String[] {"compute", "attach", "-n", "db1",
                    "--type", "databricks"},
                        "ERROR: UnsupportedComputeType: Hangar attaches slurm, virtualmachine and spark computes,"
                                + " not 'databricks'"),
                Arguments.of("no type", null, new String[] {"compute", "attach", "-n", "hpc"},
                        "ERROR: MissingComputeField: an attached compute needs a name and a type"),
                Arguments.of("a public key for the private one", null, new String[] {"compute", "attach", "-n", "hpc",
                    "--type", "slurm", "--address", "login1", "--ssh-private-key-file", "{pub}"},
                        "ERROR: InvalidComputeOption: {pub} is a public key: give the private key file"),
                Arguments.of("a key file that does not exist", null, new String[] {"compute", "attach", "-n", "hpc",
                    "--type", "slurm", "--address", "login1", "--ssh-private-key-file", "{missing}"},
                        "ERROR: InvalidComputeOption: cannot read the private key file {missing}: there is no such"
                                + " file"),
                Arguments.of("a user map that is not a mapping", "name: hpc\ntype: slurm\nuser_map: alice\n",
                        new String[] {"compute", "attach", "-f", "{yaml}"},
                        "ERROR: InvalidComputeFile: {yaml}: user_map is a mapping of names to values"),
                Arguments.of("a port that is not a number", "name: hpc\ntype: slurm\naddress: login1\n"
                        + "ssh_port: twenty-two\n", new String[] {"compute", "attach", "-f", "{yaml}"},
                        "ERROR: InvalidComputeFile: {yaml}: ssh_port is a whole number, not 'twenty-two'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String yaml, String[] args, String errorLine)
            throws IOException {
        var file = home.resolve("attach.yml");
        if (yaml != null) {
            Files.writeString(file, yaml);
        }
        var files = Map.of("{yaml}", file,
                "{pub}", Files.writeString(home.resolve("id_ed25519.pub"), "ssh-ed25519 AAAAC3Nz alice@laptop\n"),
                "{missing}", home.resolve("no-such-key"),
                "{token}", Files.writeString(home.resolve("hangar.jwt"), "SLURM_JWT=" + JWT + "\n"),
                "{empty}", Files.writeString(home.resolve("empty.jwt"), "SLURM_JWT=\n"));
        var arguments = Arrays.stream(args).map(arg -> expand(arg, files)).toArray(String[]::new);

        var result = cli.run(arguments);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).last().asString().startsWith(expand(errorLine, files));
        assertThat(result.out() + result.err()).doesNotContain(JWT, "eyJ");
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PUT"));
    }

    @Test
    void showPrintsTheConnectionPartitionNodesAndUserMapAndNoHistory() {
        server.on("GET", Arm.compute("hpc"), Reply.json(200, Arm.slurm("hpc")));

        var result = cli.run("compute", "show", "-n", "hpc");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                Name                hpc
                Id                  %s
                Type                Slurm
                State               Succeeded
                Provisioning state  Succeeded
                Location            local
                Description         the HPC cluster
                Created on          2025-01-02T03:04:05Z
                Modified on         2025-01-02T03:04:06Z
                Connection          Ssh
                Address             login1.example:2222
                Host key            ssh-ed25519 AAAAC3Nz
                Account             svc (may run jobs as other accounts)
                Partition           gpu
                Nodes               4 nodes, 32 CPUs each
                Slurm version       23.11.4
                Cluster name        hpc
                Slurm conf          -
                Work directory      /shared/hangar
                Job user            Requester
                User map            alice=alice1, bob=bob
                Tags                team=hpc
                """.formatted(Arm.compute("hpc")));
        assertThat(server.requests("GET", Arm.compute("hpc") + "/history")).isEmpty();
    }

    @Test
    void showOfALocalSlurmPrintsItsErrors() {
        server.on("GET", Arm.compute("hpc"), Reply.json(200, Arm.localSlurm("hpc", "SlurmControllerUnreachable")));

        var result = cli.run("compute", "show", "-n", "hpc");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsSubsequence(
                "Connection          Local",
                "Account             hangar",
                "Partition           debug",
                "Nodes               1 node, 2 CPUs each",
                "Slurm version       22.05.8",
                "Cluster name        linux",
                "Slurm conf          /etc/slurm/slurm.conf",
                "Work directory      -",
                "Job user            Connection",
                "User map            -",
                "Error               SlurmControllerUnreachable: slurmctld does not answer");
        assertThat(result.out()).doesNotContain("Address", "Host key", "VM size");
    }

    @Test
    void showOfARestSlurmPrintsItsUrlAndUser() {
        server.on("GET", Arm.compute("hpc"), Reply.json(200, Arm.restSlurm("hpc")));

        var result = cli.run("compute", "show", "-n", "hpc");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsSubsequence(
                "Connection          Rest",
                "REST URL            http://slurm-api.example:6820",
                "REST user           hangar",
                "Account             hangar",
                "Partition           batch",
                "Nodes               2 nodes, 8 CPUs each",
                "Work directory      /shared/hangar");
        assertThat(result.out()).doesNotContain("Address", "Host key", "Token");
    }

    @Test
    void listShowsASlurmsPartitionAndNodesBesideInstancesAndClusters() {
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page(null, Arm.instance("ci1", "Running", Arm.ALICE, null),
                Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 2), Arm.slurm("hpc"))));

        var result = cli.run("compute", "list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NAME  STATE              VM SIZE          TYPE             CREATED BY",
                "ci1   Running            Standard_DS3_v2  ComputeInstance  alice",
                "cl1   Steady 2/4 nodes   Standard_DS3_v2  AmlCompute       -",
                "hpc   Succeeded 4 nodes  partition gpu    Slurm            -");
    }

    @Test
    void listNodesOfASlurmShowsItsAddressesAndJobs() {
        server.on("POST", Arm.compute("hpc") + "/listNodes", Reply.json(200, """
                {"nodes":[
                 {"nodeId":"gpu01","privateIpAddress":"10.0.0.11","publicIpAddress":null,"port":null,
                  "nodeState":"running","runId":"train-1,train-2"},
                 {"nodeId":"gpu02","privateIpAddress":"10.0.0.12","publicIpAddress":null,"port":null,
                  "nodeState":"unusable","runId":null}],"nextLink":null}"""));

        var result = cli.run("compute", "list-nodes", "-n", "hpc");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NODE ID  STATE     ADDRESS    JOB",
                "gpu01    running   10.0.0.11  train-1, train-2",
                "gpu02    unusable  10.0.0.12  -");
    }

    @Test
    void detachWaitsUntilTheComputeIsGone() {
        server.on("DELETE", Arm.compute("hpc") + "?underlyingResourceAction=Detach",
                Arm.accepted(Reply.empty(202), "op-3", 0));
        server.on("GET", Arm.operationPath("op-3"), Reply.json(200, Arm.operation("op-3", "Succeeded")));
        server.on("GET", Arm.compute("hpc"), Reply.json(404, Arm.error("ResourceNotFound", "no compute hpc")));

        var result = cli.run("compute", "detach", "-n", "hpc", "--yes");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Detached", "Compute 'hpc' is detached.");
        assertThat(server.requests("DELETE", Arm.compute("hpc"))).hasSize(1);
    }

    @Test
    void detachingAMissingComputeSucceeds() {
        server.on("DELETE", Arm.compute("gone") + "?underlyingResourceAction=Detach", Reply.empty(204));

        var result = cli.run("compute", "detach", "-n", "gone", "--yes");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'gone' does not exist: nothing to detach.");
    }

    @Test
    void detachWithNoWaitReturnsOnceAccepted() {
        server.on("DELETE", Arm.compute("hpc") + "?underlyingResourceAction=Detach",
                Arm.accepted(Reply.empty(202), "op-3", 0));

        var result = cli.run("compute", "detach", "-n", "hpc", "--no-wait", "--yes");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Accepted: detach of 'hpc'. Follow it with 'hangar compute show"
                + " -n hpc'.");
    }

    /** An attach of {@code name} answered 201 with an operation that has already succeeded, as the server does. */
    private void scriptAttach(String name, String compute) {
        server.on("PUT", Arm.compute(name), Arm.accepted(Reply.json(201, compute), "op-1", 0));
        server.on("GET", Arm.operationPath("op-1"), Reply.json(200, Arm.operation("op-1", "Succeeded")));
        server.on("GET", Arm.compute(name), Reply.json(200, compute));
    }

    /** {@code text} with each placeholder of {@code files} ({@code {yaml}}...) replaced by its path. */
    private static String expand(String text, Map<String, Path> files) {
        for (var file : files.entrySet()) {
            text = text.replace(file.getKey(), file.getValue().toString());
        }
        return text;
    }

    private JsonNode sent(String method, String name) {
        return parse(server.requests(method, Arm.compute(name)).get(0).body());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}

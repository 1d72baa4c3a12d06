package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad input gets its status and stable code in the ARM error body, and leaves no record or directory. */
class BadInputIT {
    static final String WS = WireFormatIT.WS;
    static final String BODY = """
            {"properties":{"computeType":"ComputeInstance","properties":{"vmSize":"Standard_DS1_v2"%s}}}""";

    /** A 1024-bit RSA public key: it parses, and is refused as too weak. */
    static final String RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDhuhMNtGxet9AZu62VU7EstKSWrILUIDDodEXWF1CYX"
            + "hq5QgHCHJiWX/RYGUDIuislKfjWmrik1cM3wZoqKBu691DCJrYdBW+d9YRq+EroW7/yxgDVTrUiRGfYO6GrEDq5HvmYHy5eQiNsfPr"
            + "EangFE5AUUSjqKrllPY2jou2klQ== weak@test";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> cases() {
        var put = "PUT";
        return Stream.of(
                Arguments.of("name too short", put, WS + "/computes/ab", BODY.formatted(""), 400, "InvalidComputeName"),
                Arguments.of("name starts with a digit", put, WS + "/computes/1abc", BODY.formatted(""), 400,
                        "InvalidComputeName"),
                Arguments.of("name ends with a hyphen", put, WS + "/computes/abc-", BODY.formatted(""), 400,
                        "InvalidComputeName"),
                Arguments.of("name of 25 characters", put, WS + "/computes/a234567890123456789012345",
                        BODY.formatted(""), 400, "InvalidComputeName"),
                Arguments.of("name with an underscore", put, WS + "/computes/a_bc", BODY.formatted(""), 400,
                        "InvalidComputeName"),
                Arguments.of("unknown VM size", put, WS + "/computes/bad-size",
                        "{\"properties\":{\"computeType\":\"ComputeInstance\",\"properties\":{\"vmSize\":\"Huge\"}}}",
                        400, "InvalidVmSize"),
                Arguments.of("no body", put, WS + "/computes/no-body", null, 400, "MissingRequestBody"),
                Arguments.of("malformed JSON", put, WS + "/computes/bad-json", "{\"properties\":", 400,
                        "InvalidRequestBody"),
                Arguments.of("no properties", put, WS + "/computes/no-props", "{\"location\":\"local\"}", 400,
                        "InvalidRequestBody"),
                Arguments.of("no computeType", put, WS + "/computes/no-type", "{\"properties\":{}}", 400,
                        "InvalidComputeType"),
                Arguments.of("unknown computeType", put, WS + "/computes/mainframe",
                        "{\"properties\":{\"computeType\":\"Mainframe\"}}", 400, "InvalidComputeType"),
                Arguments.of("computeType not served yet", put, WS + "/computes/lake",
                        "{\"properties\":{\"computeType\":\"DataLakeAnalytics\"}}", 400, "UnsupportedComputeType"),
                Arguments.of("cluster without scale settings", put, WS + "/computes/cluster",
                        "{\"properties\":{\"computeType\":\"amlcompute\",\"properties\":{\"vmSize\":"
                                + "\"Standard_DS2_v2\"}}}", 400, "InvalidScaleSettings"),
                Arguments.of("assigned user not a GUID", put, WS + "/computes/assign-bad", BODY.formatted(
                        ",\"personalComputeInstanceSettings\":{\"assignedUser\":{\"objectId\":\"bob\"}}"), 400,
                        "BadArgument"),
                Arguments.of("assigned user unknown", put, WS + "/computes/assign-none", BODY.formatted(
                        ",\"personalComputeInstanceSettings\":{\"assignedUser\":{\"objectId\":"
                                + "\"11111111-2222-3333-4444-555555555555\",\"tenantId\":\"t\"}}"), 400,
                        "AssignedUserNotFound"),
                Arguments.of("bad sharing policy", put, WS + "/computes/share-bad",
                        BODY.formatted(",\"applicationSharingPolicy\":\"Everyone\""), 400, "BadArgument"),
                Arguments.of("SSH enabled without a key", put, WS + "/computes/ssh-nokey",
                        BODY.formatted(",\"sshSettings\":{\"sshPublicAccess\":\"Enabled\"}"), 400,
                        "InvalidSshPublicKey"),
                Arguments.of("SSH key that does not parse", put, WS + "/computes/ssh-garbage", BODY.formatted(
                        ",\"sshSettings\":{\"sshPublicAccess\":\"Enabled\",\"adminPublicKey\":\"ssh-ed25519 AAAAC3Nz"
                                + " me@laptop\"}"), 400, "InvalidSshPublicKey"),
                Arguments.of("SSH key too weak (RSA 1024)", put, WS + "/computes/ssh-weak", BODY.formatted(
                        ",\"sshSettings\":{\"sshPublicAccess\":\"Enabled\",\"adminPublicKey\":\"" + RSA_1024 + "\"}"),
                        400, "InvalidSshPublicKey"),
                Arguments.of("bad sshPublicAccess", put, WS + "/computes/ssh-maybe",
                        BODY.formatted(",\"sshSettings\":{\"sshPublicAccess\":\"Sometimes\"}"), 400, "BadArgument"),
                Arguments.of("unknown workspace", put, WS.replace("/default", "/nowhere") + "/computes/x-ws",
                        BODY.formatted(""), 404, "ResourceNotFound"),
                Arguments.of("get unknown compute", "GET", WS + "/computes/nothing-here", null, 404,
                        "ResourceNotFound"),
                Arguments.of("start unknown compute", "POST", WS + "/computes/nothing-here/start", null, 404,
                        "ResourceNotFound"),
                Arguments.of("delete without action", "DELETE", WS + "/computes/nothing-here", null, 400,
                        "BadArgument"),
                Arguments.of("delete with an unknown action", "DELETE",
                        WS + "/computes/nothing-here?underlyingResourceAction=Explode", null, 400, "BadArgument"),
                Arguments.of("bad $skip", "GET", WS + "/computes?$skip=abc", null, 400, "BadArgument"),
                Arguments.of("unknown route", "GET", "/subscriptions/x/nothing", null, 404, "ResourceNotFound"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithItsCodeAndNothingLeftBehind(String title, String method, String path, String body, int status,
                                                String code) throws IOException {
        var before = countInstances();
        var response = https.send(method, path, server.adminToken(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        var error = Https.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(countInstances()).isEqualTo(before);
        var list = Https.json(https.send("GET", WS + "/computes", server.adminToken(), null));
        assertThat(list.get("value").size()).isEqualTo(before);
    }

    @Test
    void credentialsAreRequired() {
        var none = https.send("GET", WS + "/computes", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Https.json(none).at("/error/code").asText()).isEqualTo("AuthenticationFailed");
        var wrong = https.send("GET", WS + "/computes", "hgr_not-a-token", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void theSizeIsFixedAfterCreation() {
        var created = https.send("PUT", WS + "/computes/fixed-size", server.adminToken(), BODY.formatted(""));
        assertThat(created.statusCode()).isEqualTo(201);
        https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                server.adminToken());
        var resized = https.send("PUT", WS + "/computes/fixed-size", server.adminToken(),
                "{\"properties\":{\"computeType\":\"ComputeInstance\",\"properties\":{\"vmSize\":\"Standard_DS3_v2\"}}}");
        assertThat(resized.statusCode()).isEqualTo(400);
        assertThat(Https.json(resized).at("/error/code").asText()).isEqualTo("VmSizeCannotBeUpdated");
        var reassigned = https.send("PUT", WS + "/computes/fixed-size", server.adminToken(), BODY.formatted(
                ",\"personalComputeInstanceSettings\":{\"assignedUser\":{\"objectId\":"
                        + "\"11111111-2222-3333-4444-555555555555\",\"tenantId\":\"t\"}}"));
        assertThat(reassigned.statusCode()).isEqualTo(400);
        assertThat(Https.json(reassigned).at("/error/code").asText()).isEqualTo("AssignedUserCannotBeUpdated");
        var described = https.send("PUT", WS + "/computes/fixed-size", server.adminToken(),
                "{\"tags\":{\"team\":\"ml\"},\"properties\":{\"computeType\":\"ComputeInstance\",\"description\":\"d\","
                        + "\"properties\":{\"vmSize\":\"standard_ds1_v2\"}}}");
        assertThat(described.statusCode()).isEqualTo(200);
        assertThat(described.headers().firstValue("Azure-AsyncOperation")).isPresent();
        assertThat(Https.json(described).at("/tags/team").asText()).isEqualTo("ml");
        var delete = https.send("DELETE", WS + "/computes/fixed-size?underlyingResourceAction=Delete",
                server.adminToken(), null);
        assertThat(delete.statusCode()).isEqualTo(202);
        https.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), server.adminToken());
    }

    private static long countInstances() throws IOException {
        var instances = data.resolve("backends/local/instances");
        if (!Files.isDirectory(instances)) {
            return 0;
        }
        try (var entries = Files.list(instances)) {
            return entries.count();
        }
    }
}

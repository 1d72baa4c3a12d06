package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.EnvironmentContainerResource;
import dev.hangar.api.EnvironmentVersionResource;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Environment versions through {@link EnvironmentClient}: record, read, list, and az's anonymous versions. */
class EnvironmentClientTest {
    private static final String IMAGE = "docker.io/library/python:3.12";
    /** The first 32 hex characters of SHA-256("docker.io/library/python:3.12"). */
    private static final String IMAGE_VERSION = "9f39de2cc07aeb65b0c8d87b811d86ac";

    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final EnvironmentClient environments = client.environments(ArmIds.parseWorkspace(ArmServer.WORKSPACE));
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createVersionPutsTheImageAndReturnsTheVersion() throws Exception {
        server.on("PUT", Arm.environmentVersion("py", "1"), Reply.json(201, Arm.environment("py", "1", IMAGE)));

        var version = environments.createVersion("py", "1", IMAGE, "training");

        assertThat(version.id()).isEqualTo(Arm.environmentVersion("py", "1"));
        assertThat(version.name()).isEqualTo("1");
        assertThat(version.type()).isEqualTo(EnvironmentVersionResource.TYPE);
        assertThat(version.properties().image()).isEqualTo(IMAGE);
        assertThat(version.properties().tags()).containsEntry("team", "ml");
        assertThat(version.properties().creationTime()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
        assertThat(json.readTree(server.requests("PUT", Arm.environmentVersion("py", "1")).get(0).body()))
                .isEqualTo(json.readTree("{\"properties\":{\"image\":\"" + IMAGE + "\",\"description\":\"training\"}}"));
    }

    @Test
    void listReadsEveryEnvironmentPageByPageAndTellsTheCuratedOnes() {
        var path = ArmServer.WORKSPACE + "/environments";
        var curated = """
                {"id":"%s/hangar-instance","name":"hangar-instance",
                 "type":"Microsoft.MachineLearningServices/workspaces/environments",
                 "properties":{"latestVersion":"1","environmentType":"Curated"}}""".formatted(path);
        var own = """
                {"id":"%s/py","name":"py","type":"Microsoft.MachineLearningServices/workspaces/environments",
                 "properties":{"latestVersion":"2","nextVersion":"3","environmentType":"UserCreated"}}"""
                .formatted(path);
        server.on("GET", path, Reply.json(200, Arm.page("{base}" + path + "?$skipToken=1", curated)));
        server.on("GET", path + "?$skipToken=1", Reply.json(200, Arm.page(null, own)));

        var all = environments.list();

        assertThat(all).extracting(EnvironmentContainerResource::name).containsExactly("hangar-instance", "py");
        assertThat(all.get(0).properties().curated()).isTrue();
        assertThat(all.get(1).properties().curated()).isFalse();
        assertThat(all.get(1).properties().latestVersion()).isEqualTo("2");
    }

    @Test
    void createVersionSendsOnlyThePropertiesSet() throws Exception {
        server.on("PUT", Arm.environmentVersion("py", "2"), Reply.json(200, Arm.environment("py", "2", IMAGE)));

        environments.createVersion("py", "2", new EnvironmentVersionResource.Properties(IMAGE, null,
                Map.of("team", "ml"), false, null, null, null, null, null));

        assertThat(json.readTree(server.requests("PUT", Arm.environmentVersion("py", "2")).get(0).body()))
                .isEqualTo(json.readTree("{\"properties\":{\"image\":\"" + IMAGE + "\",\"tags\":{\"team\":\"ml\"},"
                        + "\"isAnonymous\":false}}"));
    }

    @Test
    void anotherImageForARecordedVersionIsAConflict() {
        server.on("PUT", Arm.environmentVersion("py", "1"), Reply.json(409, Arm.error("EnvironmentVersionExists",
                "Environment 'py' version 1 exists with image python:3.11")));

        assertThatThrownBy(() -> environments.createVersion("py", "1", IMAGE, null))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("EnvironmentVersionExists");
                });
    }

    @Test
    void getReadsOneVersion() {
        server.on("GET", Arm.environmentVersion("py", "1"), Reply.json(200, Arm.environment("py", "1", IMAGE)));

        var version = environments.get("py", "1");

        assertThat(version.properties().osType()).isEqualTo("Linux");
        assertThat(version.properties().isAnonymous()).isFalse();
        assertThat(version.properties().createdBy()).isEqualTo("alice");
    }

    @Test
    void versionsFollowsNextLink() {
        server.on("GET", Arm.environmentVersions("py"), Reply.json(200, Arm.page("{base}"
                + Arm.environmentVersions("py") + "?$skipToken=2", Arm.environment("py", "3", IMAGE),
                Arm.environment("py", "2", IMAGE))));
        server.on("GET", Arm.environmentVersions("py") + "?$skipToken=2", Reply.json(200,
                Arm.page(null, Arm.environment("py", "1", "python:3.11"))));

        var versions = environments.versions("py");

        assertThat(versions).extracting(EnvironmentVersionResource::name).containsExactly("3", "2", "1");
        assertThat(versions.get(2).properties().image()).isEqualTo("python:3.11");
    }

    @Test
    void anInlineImageBecomesAzsAnonymousVersionNamedByItsDigest() throws Exception {
        var path = Arm.environmentVersion(EnvironmentClient.ANONYMOUS, IMAGE_VERSION);
        server.on("PUT", path, Reply.json(201, Arm.environment(EnvironmentClient.ANONYMOUS, IMAGE_VERSION, IMAGE)),
                Reply.json(200, Arm.environment(EnvironmentClient.ANONYMOUS, IMAGE_VERSION, IMAGE)));

        var first = environments.createAnonymousVersion(IMAGE);
        var again = environments.createAnonymousVersion(" " + IMAGE + "\n");

        assertThat(first).isEqualTo("azureml:CliV2AnonymousEnvironment:" + IMAGE_VERSION).isEqualTo(again);
        var sent = server.requests("PUT", path);
        assertThat(sent).hasSize(2);
        for (var request : sent) {
            assertThat(json.readTree(request.body())).isEqualTo(json.readTree(
                    "{\"properties\":{\"image\":\"" + IMAGE + "\",\"isAnonymous\":true}}"));
        }
    }

    @Test
    void anAnonymousVersionDependsOnTheImageOnly() {
        assertThat(EnvironmentClient.anonymousVersion(IMAGE)).isEqualTo(IMAGE_VERSION).hasSize(32);
        assertThat(EnvironmentClient.anonymousVersion("python:3.12")).isNotEqualTo(IMAGE_VERSION)
                .matches("[0-9a-f]{32}");
        assertThat(EnvironmentClient.id("py", "1")).isEqualTo("azureml:py:1");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "  "})
    void aBlankInlineImageIsRefusedBeforeSending(String image) {
        assertThatThrownBy(() -> environments.createAnonymousVersion(image))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HangarException.Kind.INVALID_INPUT);
                    assertThat(e.code()).isEqualTo("EnvironmentImageRequired");
                });
        assertThat(server.requests()).isEmpty();
    }
}

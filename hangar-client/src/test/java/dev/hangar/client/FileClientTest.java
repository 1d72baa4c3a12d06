package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.testkit.arm.ArmServer.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FileClientTest {
    private static final String FILES = ArmServer.WORKSPACE + "/files";

    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final FileClient files = client.files(ArmIds.parseWorkspace(ArmServer.WORKSPACE));

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void readReturnsTheFilesBytes() {
        server.on("GET", FILES + "/Logs/ci 1/creation.log", Reply.json(200, "step 1 ✓\n"));

        var content = files.read("Logs/ci 1/creation.log");

        assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("step 1 ✓\n");
        assertThat(server.requests("GET", FILES + "/Logs/ci 1/creation.log")).singleElement()
                .satisfies(request -> assertThat(request.query()).doesNotContainKey("metadata"));
    }

    @Test
    void readingNothingIsTheServersNotFound() {
        server.on("GET", FILES + "/Logs/ci1/startup.log", Reply.json(404, Arm.error("FileNotFound",
                "Nothing is at 'Logs/ci1/startup.log' in the file share.")));

        assertThatThrownBy(() -> files.read("Logs/ci1/startup.log")).isInstanceOfSatisfying(HangarException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("FileNotFound");
                });
    }
}

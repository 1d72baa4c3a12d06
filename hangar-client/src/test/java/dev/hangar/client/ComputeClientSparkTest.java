package dev.hangar.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.SparkProperties;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import dev.hangar.testkit.arm.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An attached Spark standalone cluster ({@code computeType: Spark}) through {@link ComputeClient}. */
class ComputeClientSparkTest {
    private static final String SHOWN = """
            {"id":"%s/computes/spark","name":"spark","type":"Microsoft.MachineLearningServices/workspaces/computes",
             "location":"local","properties":{"computeType":"Spark","isAttachedCompute":true,
              "provisioningState":"Succeeded","properties":{"masterUrl":"spark://master:7077",
              "restUrl":"http://master:6066","webUiUrl":"http://master:8080","workDirectory":"/shared/spark",
              "sparkVersion":"4.0.1","nodeCount":3,"cpusPerNode":8}}}""";

    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final ComputeClient computes = client.workspace(ArmServer.WORKSPACE);
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void attachSendsTheMasterAndReadsWhatItSaid() throws Exception {
        var shown = SHOWN.formatted(ArmServer.WORKSPACE);
        server.on("PUT", Arm.compute("spark"), Arm.accepted(Reply.json(201, shown), "op-1", 0));
        server.on("GET", Arm.operationPath("op-1"), Reply.json(200, Arm.operation("op-1", "Succeeded")));
        server.on("GET", Arm.compute("spark"), Reply.json(200, shown));

        var operation = computes.attachSpark("spark", new SparkProperties("spark://master:7077",
                "http://master:6066", null, "/shared/spark", "ignored", 9, 9), "the data team's Spark");

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.ATTACH);
        assertThat(operation.waitForCompletion(Duration.ofSeconds(10)).status()).isEqualTo("Succeeded");
        var sent = json.readTree(server.requests("PUT", Arm.compute("spark")).get(0).body()).get("properties");
        assertThat(sent.get("computeType").asText()).isEqualTo("Spark");
        assertThat(sent.get("description").asText()).isEqualTo("the data team's Spark");
        assertThat(sent.at("/properties/masterUrl").asText()).isEqualTo("spark://master:7077");
        assertThat(sent.at("/properties/workDirectory").asText()).isEqualTo("/shared/spark");
        assertThat(sent.at("/properties/sparkVersion").isNull()).as("the server's to say").isTrue();
        assertThat(computes.get("spark").properties().properties()).isInstanceOfSatisfying(SparkProperties.class,
                spark -> {
                    assertThat(spark.sparkVersion()).isEqualTo("4.0.1");
                    assertThat(spark.nodeCount()).isEqualTo(3);
                });
    }
}

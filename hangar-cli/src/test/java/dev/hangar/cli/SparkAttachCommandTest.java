package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hangar compute attach --type spark}: a Spark standalone cluster by its master, from options. */
class SparkAttachCommandTest {
    private static final String SHOWN = """
            {"id":"%s","name":"spark","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"local",
             "properties":{"computeType":"Spark","provisioningState":"Succeeded","isAttachedCompute":true,
              "properties":{"masterUrl":"spark://spark-master.example:7077","restUrl":null,"webUiUrl":null,
               "workDirectory":"/shared/hangar","sparkVersion":"4.0.1","nodeCount":3,"cpusPerNode":8}}}"""
            .formatted(Arm.compute("spark"));

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("PUT", Arm.compute("spark"), Arm.accepted(Reply.json(201, SHOWN), "op-1", 0));
        server.on("GET", Arm.operationPath("op-1"), Reply.json(200, Arm.operation("op-1", "Succeeded")));
        server.on("GET", Arm.compute("spark"), Reply.json(200, SHOWN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void attachSendsTheMasterAndTheSharedFolderAndShowsTheCluster() throws IOException {
        var result = cli.run("compute", "attach", "-n", "spark", "--type", "spark", "--master-url",
                "spark://spark-master.example:7077", "--work-directory", "/shared/hangar", "--description", "team");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(json.readTree(server.requests("PUT", Arm.compute("spark")).get(0).body())).isEqualTo(json.readTree("""
                {"location":"local","properties":{"computeType":"Spark","description":"team",
                 "properties":{"masterUrl":"spark://spark-master.example:7077","restUrl":null,"webUiUrl":null,
                  "workDirectory":"/shared/hangar","sparkVersion":null,"nodeCount":null,"cpusPerNode":null}}}"""));
        assertThat(result.out()).contains("spark://spark-master.example:7077");
    }

    @Test
    void aSparkWithoutItsMasterOrSharedFolderIsRefusedBeforeAnythingIsSent() {
        var result = cli.run("compute", "attach", "-n", "spark", "--type", "spark", "--work-directory", "/shared");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("MissingComputeField", "--master-url");
        assertThat(server.requests("PUT", Arm.compute("spark"))).isEmpty();
    }
}

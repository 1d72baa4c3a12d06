package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hangar job create -f} with az's {@code type: spark} YAML: sent as Azure's v2 Spark job. */
class SparkJobCommandsTest {
    private static final String CODE = "azureml:/subscriptions/s/resourceGroups/r/providers/"
            + "Microsoft.MachineLearningServices/workspaces/w/codes/abc/versions/1";

    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("PUT", Arm.job("sum"), Reply.json(201, Arm.commandJob("sum", "Queued", null)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void azsSparkYamlIsSentAsAzuresSparkJob() throws IOException {
        var file = Files.writeString(home.resolve("spark.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/sparkJob.schema.json
                type: spark
                name: sum
                code: %s
                entry:
                  class_name: demo.Sum
                jars: [lib/app.jar]
                py_files:
                  - deps.zip
                args: --rows 100 --label 'a b'
                conf:
                  spark.driver.cores: 1
                  spark.executor.memory: 2g
                  spark.dynamicAllocation.enabled: true
                environment_variables:
                  GREETING: azure
                compute: azureml:spark
                """.formatted(CODE));

        var result = cli.run("job", "create", "-f", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        var sent = sent().get("properties");
        assertThat(sent.get("jobType").asText()).isEqualTo("Spark");
        assertThat(sent.has("command")).isFalse();
        assertThat(sent.at("/entry/sparkJobEntryType").asText()).isEqualTo("SparkJobScalaEntry");
        assertThat(sent.at("/entry/className").asText()).isEqualTo("demo.Sum");
        assertThat(sent.at("/jars/0").asText()).isEqualTo("lib/app.jar");
        assertThat(sent.at("/pyFiles/0").asText()).isEqualTo("deps.zip");
        assertThat(sent.get("args").asText()).isEqualTo("--rows 100 --label 'a b'");
        assertThat(sent.at("/conf/spark.driver.cores").asText()).isEqualTo("1");
        assertThat(sent.at("/conf/spark.dynamicAllocation.enabled").asText()).isEqualTo("true");
        assertThat(sent.at("/environmentVariables/GREETING").asText()).isEqualTo("azure");
        assertThat(sent.get("computeId").asText()).isEqualTo("spark");
        assertThat(sent.get("codeId").asText()).isEqualTo(CODE);
    }

    @Test
    void aPythonEntryAndAServerlessPoolsResources() throws IOException {
        var python = Files.writeString(home.resolve("py.yml"), "type: spark\nname: sum\ncode: " + CODE
                + "\nentry:\n  file: main.py\ncompute: azureml:spark\n");
        assertThat(cli.run("job", "create", "-f", python.toString()).exitCode()).isZero();
        assertThat(sent().at("/properties/entry/sparkJobEntryType").asText()).isEqualTo("SparkJobPythonEntry");
        assertThat(sent().at("/properties/entry/file").asText()).isEqualTo("main.py");

        var serverless = Files.writeString(home.resolve("pool.yml"), "type: spark\nname: sum\nentry:\n"
                + "  file: main.py\nresources:\n  instance_type: standard_e4s_v3\n  runtime_version: '3.3'\n"
                + "compute: azureml:spark\n");
        var refused = cli.run("job", "create", "-f", serverless.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("InvalidJobFile", "serverless");
    }

    private JsonNode sent() throws IOException {
        return new ObjectMapper().readTree(server.requests("PUT", Arm.job("sum")).get(0).body());
    }
}

package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmCommandsTest {

    @Test
    void sbatchPrintsTheIdAloneOrWithTheCluster() {
        assertThat(SlurmCommands.jobId("123\n")).isEqualTo("123");
        assertThat(SlurmCommands.jobId("124;hangar-test\n")).isEqualTo("124");
        assertThat(catchThrowableOfType(EngineException.class, () -> SlurmCommands.jobId("")).code())
                .isEqualTo("SlurmSubmitFailed");
    }

    @Test
    void configValuesAreReadByName() {
        var config = """
                Configuration data as of 2026-11-24T11:13:19
                AccountingStorageType   = accounting_storage/none
                ClusterName             = hangar-test
                MessageTimeout          = 10 sec
                SlurmUser               = root(0)
                """;

        assertThat(SlurmHost.configValue(config, "ClusterName")).isEqualTo("hangar-test");
        assertThat(SlurmHost.configValue(config, "MessageTimeout")).isEqualTo("10 sec");
        assertThat(SlurmHost.configValue(config, "SlurmUser")).isEqualTo("root(0)");
        assertThat(SlurmHost.configValue(config, "Missing")).isNull();
    }

    @Test
    void partitionsAreChosenByNameOrTheDefault() {
        var partitions = new Partitions(List.of("debug", "gpu"), "debug");

        assertThat(partitions.choose(null)).isEqualTo("debug");
        assertThat(partitions.choose("gpu")).isEqualTo("gpu");
        var missing = catchThrowableOfType(EngineException.class, () -> partitions.choose("nope"));
        assertThat(missing.code()).isEqualTo("SlurmPartitionNotFound");
        assertThat(missing.getMessage()).contains("nope", "[debug, gpu]");
        var noDefault = catchThrowableOfType(EngineException.class,
                () -> new Partitions(List.of("gpu"), null).choose(null));
        assertThat(noDefault.getMessage()).contains("no default partition", "partition");
    }
}

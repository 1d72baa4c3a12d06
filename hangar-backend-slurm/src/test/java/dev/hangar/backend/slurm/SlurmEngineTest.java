package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineException;
import org.junit.jupiter.api.Test;

class SlurmEngineTest {

    @Test
    void sbatchPrintsTheIdAloneOrWithTheCluster() {
        assertThat(SlurmEngine.jobId("123\n")).isEqualTo("123");
        assertThat(SlurmEngine.jobId("124;hangar-test\n")).isEqualTo("124");
        assertThat(catchThrowableOfType(EngineException.class, () -> SlurmEngine.jobId("")).code())
                .isEqualTo("SlurmSubmitFailed");
    }

    @Test
    void configValuesAreReadByName() {
        var config = """
                Configuration data as of 2026-11-24T11:13:19
                AccountingStorageType   = accounting_storage/none
                ClusterName             = hangar-test
                MessageTimeout          = 10 sec
                """;

        assertThat(SlurmEngine.configValue(config, "ClusterName")).isEqualTo("hangar-test");
        assertThat(SlurmEngine.configValue(config, "MessageTimeout")).isEqualTo("10 sec");
        assertThat(SlurmEngine.configValue(config, "Missing")).isNull();
    }
}

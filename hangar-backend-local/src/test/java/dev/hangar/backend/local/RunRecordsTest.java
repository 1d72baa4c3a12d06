package dev.hangar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.backend.local.RunRecord.AppProcess;
import dev.hangar.backend.local.RunRecord.AppRun;
import dev.hangar.core.spi.InstanceContext.AppSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordsTest {
    private static final AppSpec JUPYTER = new AppSpec("jupyter", "Jupyter", "/workspaces/ws/computes/ci/apps/jupyter/");
    private static final AppSpec OTHER = new AppSpec("rstudio", "RStudio", "/workspaces/ws/computes/ci/apps/rstudio/");

    @TempDir
    Path instances;

    @Test
    void recordSurvivesAWriteAndAReadPrivately() throws IOException {
        var instance = InstanceDirectory.of(instances, UUID.randomUUID());
        var hangars = new InstanceAccounts(false).hangars();
        instance.createHome(hangars);
        instance.createRun(hangars);
        var record = new RunRecord(List.of(
                AppRun.launched(JUPYTER, new AppProcess(4242, Instant.parse("2025-01-02T03:04:05.678Z"), 8888, "t0k")),
                AppRun.unavailable(OTHER, "not here")));
        var records = new RunRecords();

        records.write(instance, record);

        assertThat(records.read(instance)).contains(record);
        assertThat(Files.getPosixFilePermissions(instance.run().resolve("apps.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        records.remove(instance);
        assertThat(records.read(instance)).isEmpty();
    }

    @Test
    void recordServesOnlyTheSameAppsUnderTheSamePaths() {
        var record = new RunRecord(List.of(AppRun.unavailable(JUPYTER, "not installed")));

        assertThat(record.serves(List.of(JUPYTER))).isTrue();
        assertThat(record.serves(List.of(new AppSpec("jupyter", "Jupyter", "/elsewhere/")))).isFalse();
        assertThat(record.serves(List.of(JUPYTER, OTHER))).isFalse();
    }

    @Test
    void startInstantsWithinASecondAreTheSameStart() {
        var process = new AppProcess(1, Instant.parse("2025-01-02T03:04:05Z"), 1, "t");

        assertThat(process.startedAt(Instant.parse("2025-01-02T03:04:06Z"))).isTrue();
        assertThat(process.startedAt(Instant.parse("2025-01-02T03:04:07Z"))).isFalse();
    }
}

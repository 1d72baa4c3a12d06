package dev.hangar.server.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.job.JobFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's log read in pieces as a page streams it, and the submit form's variables. */
class JobLogTest {
    @TempDir
    Path root;

    @Test
    void aCharacterCutByThePieceIsSentWithTheNextAndOneCutByTheStartIsSkipped() throws IOException {
        var files = new JobFiles(root);
        var job = UUID.randomUUID();
        try (var log = files.append(job)) {
            log.write("aé€😀b".getBytes(StandardCharsets.UTF_8)); // 1, 2, 3, 4 and 1 bytes
        }
        var text = new StringBuilder();
        var next = 0L;
        for (int i = 0; i < 20; i++) {
            var piece = JobLog.read(files, job, next, 4, false);
            assertThat(piece.from()).isEqualTo(next);
            text.append(piece.text());
            next = piece.next();
            if (piece.isEmpty() && next == 11) {
                break;
            }
        }
        assertThat(text.toString()).isEqualTo("aé€😀b");
        assertThat(JobLog.read(files, job, 2, 100, true).text()).as("from inside é").isEqualTo("€😀b");
        assertThat(JobLog.read(files, job, 0, 8, false).text()).as("😀 is cut: left for later").isEqualTo("aé€");
        assertThat(JobLog.read(files, job, 0, 8, false).next()).isEqualTo(6);
    }

    @Test
    void aJobThatEndedInTheMiddleOfACharacterStillShowsWhatItWrote() throws IOException {
        var files = new JobFiles(root);
        var job = UUID.randomUUID();
        try (var log = files.append(job)) {
            log.write(new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82});
        }
        assertThat(JobLog.read(files, job, 0, 100, false).text()).isEqualTo("ok");
        assertThat(JobLog.read(files, job, 0, 100, true).next()).isEqualTo(4);
    }

    @Test
    void variablesAreNameEqualsValueLines() {
        var errors = new LinkedHashMap<String, String>();
        assertThat(JobForm.variables("A=1\r\n\nB = two=2\nEMPTY=", errors))
                .containsExactly(java.util.Map.entry("A", "1"), java.util.Map.entry("B", " two=2"),
                        java.util.Map.entry("EMPTY", ""));
        assertThat(errors).isEmpty();
        assertThat(JobForm.variables("A=1\nno equals sign", errors)).isEmpty();
        assertThat(errors.get("variables")).isEqualTo("Line 2 is not NAME=value: 'no equals sign'");
        errors.clear();
        JobForm.variables("A=1\nA=2", errors);
        assertThat(errors.get("variables")).contains("A is set twice");
    }
}

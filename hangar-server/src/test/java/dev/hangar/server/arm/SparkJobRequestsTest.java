package dev.hangar.server.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.spi.engine.SparkApplication;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkJobRequestsTest {

    @Test
    void argsAreSplitAsAShellSplitsWordsAndQuotedBack() {
        var words = SparkJobRequests.split(" --input 'a b' \"c \\\"d\\\"\" e\\ f $HOME ''");
        assertThat(words).containsExactly("--input", "a b", "c \"d\"", "e f", "$HOME", "");
        assertThat(SparkJobRequests.split(String.join(" ", words.stream().map(SparkJobRequests::quote).toList())))
                .isEqualTo(words);
        assertThatThrownBy(() -> SparkJobRequests.split("'open")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidSparkArgs"));
    }

    @Test
    void theCommandLineIsTheSparkSubmitItAmountsTo() {
        var app = new SparkApplication("demo.Sum", null, List.of("100", "a b"), List.of("lib/app.jar", "lib/dep.jar"),
                List.of(), List.of("data.csv"), List.of(), Map.of("spark.executor.memory", "2g"));
        assertThat(SparkJobRequests.commandLine(app)).isEqualTo("spark-submit --class demo.Sum --jars lib/dep.jar"
                + " --files data.csv --conf spark.executor.memory=2g lib/app.jar 100 'a b'");
        var python = new SparkApplication(null, "main.py", List.of(), List.of(), List.of("deps.zip"), List.of(),
                List.of(), Map.of());
        assertThat(SparkJobRequests.commandLine(python)).isEqualTo("spark-submit --py-files deps.zip main.py");
    }
}

package dev.hangar.backend.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers of a real slurmrestd 22.05.8 (OpenAPI v0.0.38, JWT) to a one-node test cluster, recorded with curl into
 * {@code src/test/resources/dev/hangar/backend/slurm/rest}: job 6 ran {@code sleep 60} and was canceled, job 7 asked
 * for two nodes of one and waited, job 8 exited 3, job 9 ended well; {@code *-refused} were asked with a token of
 * another key. {@code openapi-v0.0.37.json} is the OpenAPI description of a slurmrestd started with
 * {@code -s openapi/v0.0.37}, cut to its paths.
 */
final class Recordings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Recordings() {
    }

    static String text(String name) {
        try (var in = Recordings.class.getResourceAsStream("rest/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No recording " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return JSON.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

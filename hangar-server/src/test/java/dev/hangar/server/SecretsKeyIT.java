package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's secrets key: a server given one makes none of its own, refuses to start with a key that does not
 * open its database's secrets, and changes to a new key when given the old one beside it.
 */
class SecretsKeyIT {
    @TempDir
    Path data;
    @TempDir
    Path keys;

    Path key(String name) throws Exception {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        var file = keys.resolve(name);
        Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n");
        return file;
    }

    void startAndStop(Map<String, String> environment) {
        try (var server = new ServerProcess(data, environment)) {
            server.start();
            var https = new Https(server.url(), server.certificate());
            assertThat(https.send("GET", "/hangar/v1/health", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theServerRunsOnlyWithTheKeyItsSecretsAreSealedWithAndChangesKeysWhenGivenTheOldOne() throws Exception {
        var first = key("first.key");
        var second = key("second.key");
        var jupyterless = "/nonexistent/jupyter";

        startAndStop(Map.of("HANGAR_SECRETS_KEY_FILE", first.toString(), "HANGAR_BACKEND_LOCAL_JUPYTER", jupyterless));
        assertThat(data.resolve("secrets").resolve("store.key")).as("the operator's key is the only one")
                .doesNotExist();

        var refused = catchThrowable(() -> new ServerProcess(data, Map.of("HANGAR_SECRETS_KEY_FILE",
                second.toString(), "HANGAR_BACKEND_LOCAL_JUPYTER", jupyterless)).start());
        assertThat(refused).hasMessageContaining("Hangar exited")
                .hasMessageContaining("does not open the secrets this database holds");

        startAndStop(Map.of("HANGAR_SECRETS_KEY_FILE", second.toString(), "HANGAR_SECRETS_PREVIOUS_KEY_FILES",
                first.toString(), "HANGAR_BACKEND_LOCAL_JUPYTER", jupyterless));
        startAndStop(Map.of("HANGAR_SECRETS_KEY_FILE", second.toString(), "HANGAR_BACKEND_LOCAL_JUPYTER",
                jupyterless));

        var missing = catchThrowable(() -> new ServerProcess(data, Map.of("HANGAR_SECRETS_KEY_FILE",
                keys.resolve("absent.key").toString())).start());
        assertThat(missing).hasMessageContaining("Cannot use the secrets key " + keys.resolve("absent.key"));
    }
}

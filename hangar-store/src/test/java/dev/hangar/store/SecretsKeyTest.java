package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.store.Transaction;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opens only with the key its secrets are sealed with, and changes keys when given the old one beside the
 * new: every secret (an instance's app token, an attached compute's credentials) is sealed again, and the old key is needed no more. On the embedded H2 database, whose file is
 * read to see what is really stored.
 */
class SecretsKeyTest {
    @TempDir
    Path directory;

    StoreConfig config() {
        return StoreConfig.embedded(directory);
    }

    ComputeInstance givenAnInstanceWithATokenSealedBy(SecretBox key) {
        var workspace = StoreContractTest.workspace("s", "rg", "ws");
        var compute = StoreContractTest.instance(workspace.id(), "ci");
        var withApp = new ComputeInstance(compute.id(), compute.workspaceId(), compute.name(), compute.vmSize(),
                compute.state(), null, null, compute.createdBy(), null, "Personal", compute.ssh(), null, null, null, null, List.of(),
                List.of(AppEndpoint.available("jupyter", "Jupyter", URI.create("http://127.0.0.1:8888/"),
                        Map.of("Authorization", "token first-s3cret"))), "local", compute.createdOn(),
                compute.modifiedOn(), 0);
        var slurm = new AttachedCompute(UUID.randomUUID(), workspace.id(), "hpc", "Slurm", null, null, null,
                Map.of("address", "login1"), Map.of("privateKeyData", "first-k3y"), AttachedCompute.JobUser.Connection,
                Map.of(), null, compute.createdBy(), List.of(), compute.createdOn(), compute.modifiedOn(), 0);
        try (var store = JdbcStore.open(config(), key)) {
            store.inTransaction(tx -> {
                tx.insertWorkspace(workspace);
                tx.insertAttached(slurm);
                return tx.insertCompute(withApp);
            });
        }
        return withApp;
    }

    static String key(JdbcStore store) {
        return store.read((Transaction tx) -> tx.allAttached()).getFirst().secrets().get("privateKeyData");
    }

    static String token(JdbcStore store, UUID id) {
        return store.read((Transaction tx) -> tx.compute(id)).orElseThrow().apps().getFirst().headers()
                .get("Authorization");
    }

    @Test
    void anotherKeyStopsTheStartAndChangesNothing() throws Exception {
        var key = SecretBox.generate();
        var compute = givenAnInstanceWithATokenSealedBy(key);

        var wrong = catchThrowable(() -> JdbcStore.open(config(), SecretBox.generate()));
        assertThat(wrong).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open the secrets this database holds");
        try (var store = JdbcStore.open(config(), key)) {
            assertThat(token(store, compute.id())).isEqualTo("token first-s3cret");
        }
    }

    @Test
    void aNewKeyGivenTheOldOneSealsEverythingAgain() throws Exception {
        var old = SecretBox.generate();
        var compute = givenAnInstanceWithATokenSealedBy(old);
        var fresh = SecretBox.generate();

        try (var store = JdbcStore.open(config(), fresh.replacing(List.of(old)))) {
            assertThat(token(store, compute.id())).isEqualTo("token first-s3cret");
        }
        try (var store = JdbcStore.open(config(), fresh)) {
            assertThat(token(store, compute.id())).as("the old key is needed no more").isEqualTo("token first-s3cret");
            assertThat(key(store)).as("an attached compute's credentials too").isEqualTo("first-k3y");
        }
        assertThat(catchThrowable(() -> JdbcStore.open(config(), old))).as("and opens nothing now")
                .isInstanceOf(IllegalStateException.class);
        try (var files = Files.list(directory)) {
            for (var file : files.toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain("first-s3cret").doesNotContain("first-k3y");
            }
        }
    }
}

package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
    @Test
    void embeddedIsAnH2FileInThePostgreSqlDialect() {
        var config = StoreConfig.embedded(Path.of("/var/lib/hangar"));

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:h2:file:/var/lib/hangar/hangar;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        assertThat(config.username()).isEqualTo(StoreConfig.EMBEDDED_USERNAME);
        assertThat(config.maximumPoolSize()).isEqualTo(StoreConfig.DEFAULT_MAXIMUM_POOL_SIZE);
    }

    @Test
    void acceptsPostgreSqlAndDefaultsMissingCredentialsToEmpty() {
        var config = new StoreConfig("jdbc:postgresql://127.0.0.1:5432/hangar", null, null);

        assertThat(config.username()).isEmpty();
        assertThat(config.password()).isEmpty();
    }

    @Test
    void refusesOtherDatabasesAndEmptyPools() {
        assertThatThrownBy(() -> new StoreConfig("jdbc:mysql://localhost/hangar", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql");
        assertThatThrownBy(() -> new StoreConfig("jdbc:h2:mem:x", "u", "p", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new StoreConfig("jdbc:postgresql://db/hangar", "hangar", "s3cret")).asString()
                .doesNotContain("s3cret");
    }
}

package dev.hangar.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: an H2 file database in a temporary folder. */
class H2StoreTest extends StoreContractTest {
    @TempDir
    Path directory;

    @Override
    protected StoreConfig freshDatabase() {
        return StoreConfig.embedded(directory);
    }
}

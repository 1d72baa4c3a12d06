package dev.hangar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hangar.client.HangarJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** The {@link CliConfig} file: read leniently, written atomically and readable by its owner only (it holds a token). */
final class ConfigStore {
    private final Path file;
    private ObjectMapper json; // made on first use: Jackson's start-up is most of a --help's

    ConfigStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path file() {
        return file;
    }

    Optional<CliConfig> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json().readValue(file.toFile(), CliConfig.class));
        } catch (IOException e) {
            throw new CliException("InvalidConfig", "cannot read " + file + ": " + e.getMessage()
                    + " (log in again, or remove the file)", ExitCodes.FAILED);
        }
    }

    void save(CliConfig config) {
        try {
            var directory = file.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, ownerOnly("rwx------"));
            }
            var temporary = Files.createTempFile(directory, ".config", ".tmp", ownerOnly("rw-------"));
            try {
                json().writeValue(temporary.toFile(), config);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private ObjectMapper json() {
        if (json == null) {
            json = HangarJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
        }
        return json;
    }

    private FileAttribute<?>[] ownerOnly(String permissions) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}

package dev.hangar.backend.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** Reads and writes an instance's {@code run/apps.json}. Writes are atomic: a crash leaves the old or the new one. */
final class RunRecords {
    private static final String FILE = "apps.json";

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    Optional<RunRecord> read(InstanceDirectory instance) {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file(instance)), RunRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file(instance), e);
        }
    }

    void write(InstanceDirectory instance, RunRecord record) {
        var target = file(instance);
        try {
            // Created private before anything is written: the record holds the apps' tokens.
            var temporary = Files.createTempFile(instance.run(), FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, json.writeValueAsBytes(record));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    void remove(InstanceDirectory instance) {
        try {
            Files.deleteIfExists(file(instance));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file(instance), e);
        }
    }

    private static Path file(InstanceDirectory instance) {
        return instance.run().resolve(FILE);
    }
}

package dev.hangar.cli;

import dev.hangar.archive.IgnoreFile;
import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The fresh folder a local run's command runs in: the code folder's files copied in (what its {@code .amlignore} or
 * {@code .gitignore} leaves out stays out, as in the snapshot a job on a compute gets), and, once it ended, what it
 * left in {@code ./outputs} packed as the tar.gz the server keeps.
 */
final class LocalWorkFolder {
    private final Path folder;

    private LocalWorkFolder(Path folder) {
        this.folder = folder;
    }

    /** A new folder for job {@code name}, with the files of {@code code} (null: none). */
    static LocalWorkFolder create(String name, Path code) {
        try {
            var folder = Files.createTempDirectory("hangar-local-" + name + "-");
            if (code != null) {
                var listing = Tarballs.scan(code, IgnoreFile.of(code), Tarballs.CODE_LIMITS);
                for (var entry : listing.entries()) {
                    var target = folder.resolve(entry.path());
                    Files.createDirectories(target.getParent());
                    Files.copy(code.resolve(entry.path()), target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return new LocalWorkFolder(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the work folder of job " + name, e);
        }
    }

    Path path() {
        return folder;
    }

    /** The command's {@code ./outputs} packed as {@code outputs/...} in a temporary tar.gz; empty when it left none. */
    Optional<Path> packOutputs() {
        if (!Files.isDirectory(folder.resolve("outputs"))) {
            return Optional.empty();
        }
        try {
            var listing = Tarballs.scan(folder, path -> !path.startsWith("outputs/"), Tarballs.OUTPUT_LIMITS);
            if (listing.files() == 0) {
                return Optional.empty();
            }
            var archive = Files.createTempFile("hangar-outputs-", ".tar.gz");
            try (var out = Files.newOutputStream(archive)) {
                Tarballs.pack(folder, listing, out);
            }
            return Optional.of(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack " + folder.resolve("outputs"), e);
        } catch (TarballException e) {
            throw new CliException("OutputsNotKept", "the outputs in " + folder.resolve("outputs") + " were not sent: "
                    + e.getMessage(), ExitCodes.FAILED);
        }
    }
}

package dev.hangar.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballsTest {
    private static final Tarballs.Limits ROOMY = new Tarballs.Limits(1 << 20, 100);

    @TempDir
    Path temp;

    private Path folder() throws IOException {
        var folder = Files.createDirectories(temp.resolve("src"));
        Files.writeString(folder.resolve("train.py"), "print('hi')\n");
        Files.createDirectories(folder.resolve("pkg/deep"));
        Files.writeString(folder.resolve("pkg/deep/data é.txt"), "ünïcode\n");
        var script = Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(folder.resolve(".git"));
        Files.writeString(folder.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        return folder;
    }

    @Test
    void aPackedFolderKeepsItsDigestThroughNormalizingAndUnpacking() throws IOException {
        var folder = folder();
        var listing = Tarballs.scan(folder, path -> path.equals(".git/"), ROOMY);
        assertThat(listing.entries()).extracting(Tarballs.Entry::path)
                .containsExactly("pkg/deep/data é.txt", "run.sh", "train.py");
        assertThat(listing.entries()).filteredOn(Tarballs.Entry::executable).extracting(Tarballs.Entry::path)
                .containsExactly("run.sh");

        var packed = new ByteArrayOutputStream();
        Tarballs.pack(folder, listing, packed);
        var normalized = new ByteArrayOutputStream();
        var checked = Tarballs.normalize(new ByteArrayInputStream(packed.toByteArray()), normalized, ROOMY,
                Tarballs.Others.REFUSE);
        assertThat(checked).isEqualTo(listing);

        var into = temp.resolve("out");
        var unpacked = Tarballs.extract(new ByteArrayInputStream(normalized.toByteArray()), into, ROOMY);
        assertThat(unpacked.digest()).isEqualTo(listing.digest());
        assertThat(Files.readString(into.resolve("pkg/deep/data é.txt"))).isEqualTo("ünïcode\n");
        assertThat(Files.isExecutable(into.resolve("run.sh"))).isTrue();
        assertThat(Files.isExecutable(into.resolve("train.py"))).isFalse();
    }

    @Test
    void theDigestIsTheFilesNotTheArchive() throws Exception {
        var folder = folder();
        var listing = Tarballs.scan(folder, path -> path.startsWith(".git"), ROOMY);
        // GNU tar packs it in its own order, with directories, owners and times: the files are the same.
        var archive = temp.resolve("gnu.tar.gz");
        var tar = new ProcessBuilder("tar", "-czf", archive.toString(), "--exclude=.git", "-C", folder.toString(), ".")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        try (var in = Files.newInputStream(archive)) {
            var checked = Tarballs.normalize(in, OutputStream0.INSTANCE, ROOMY, Tarballs.Others.REFUSE);
            assertThat(checked.digest()).isEqualTo(listing.digest());
        }

        Files.writeString(folder.resolve("train.py"), "print('changed')\n");
        assertThat(Tarballs.scan(folder, path -> path.startsWith(".git"), ROOMY).digest())
                .isNotEqualTo(listing.digest());
        Files.writeString(folder.resolve("train.py"), "print('hi')\n");
        Files.setPosixFilePermissions(folder.resolve("train.py"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Tarballs.scan(folder, path -> path.startsWith(".git"), ROOMY).digest())
                .as("the executable bit is part of the content").isNotEqualTo(listing.digest());
        assertThat(Tarballs.isDigest(listing.digest())).isTrue();
    }

    @Test
    void pathsThatLeaveTheFolderAreRefused() {
        for (var name : new String[] {"../escape.txt", "/etc/passwd", "a/../../b", "a//b", "./a/./b"}) {
            assertThatThrownBy(() -> normalize(tar(name, "x")))
                    .as(name).isInstanceOf(TarballException.class)
                    .extracting(e -> ((TarballException) e).code()).isEqualTo(TarballException.UNSAFE_PATH);
        }
    }

    @Test
    void linksAreRefusedInCodeAndLeftOutOfOutputs() throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes)) {
            var link = new TarArchiveEntry("passwd", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            var file = new TarArchiveEntry("kept.txt");
            file.setSize(2);
            tar.putArchiveEntry(file);
            tar.write("ok".getBytes(StandardCharsets.UTF_8));
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> normalize(bytes.toByteArray()))
                .isInstanceOf(TarballException.class).hasMessageContaining("symbolic link")
                .extracting(e -> ((TarballException) e).code()).isEqualTo(TarballException.NOT_A_FILE);
        var outputs = Tarballs.normalize(new ByteArrayInputStream(bytes.toByteArray()), OutputStream0.INSTANCE,
                ROOMY, Tarballs.Others.SKIP);
        assertThat(outputs.entries()).extracting(Tarballs.Entry::path).containsExactly("kept.txt");
    }

    @Test
    void limitsAndDuplicatesAndGarbageAreRefused() throws IOException {
        var big = tar("big.bin", "x".repeat(2000));
        assertThatThrownBy(() -> Tarballs.normalize(new ByteArrayInputStream(big), OutputStream0.INSTANCE,
                new Tarballs.Limits(1000, 10), Tarballs.Others.REFUSE))
                .extracting(e -> ((TarballException) e).code()).isEqualTo(TarballException.TOO_LARGE);

        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes)) {
            for (var name : new String[] {"a", "a/b"}) {
                var file = new TarArchiveEntry(name);
                file.setSize(1);
                tar.putArchiveEntry(file);
                tar.write('x');
                tar.closeArchiveEntry();
            }
        }
        assertThatThrownBy(() -> normalize(bytes.toByteArray()))
                .extracting(e -> ((TarballException) e).code()).isEqualTo(TarballException.INVALID_ARCHIVE);

        var gzipGarbage = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(gzipGarbage)) {
            gzip.write("this is not a tar archive at all, just text".repeat(20).getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> normalize(gzipGarbage.toByteArray()))
                .extracting(e -> ((TarballException) e).code()).isEqualTo(TarballException.INVALID_ARCHIVE);
    }

    @Test
    void unpackingNeverWritesThroughALinkOutOfTheFolder() throws IOException {
        var into = Files.createDirectories(temp.resolve("into"));
        var outside = Files.createDirectories(temp.resolve("outside"));
        Files.createSymbolicLink(into.resolve("sub"), outside);
        assertThatThrownBy(() -> Tarballs.extract(new ByteArrayInputStream(tar("sub/x.txt", "x")), into, ROOMY))
                .isInstanceOf(TarballException.class)
                .extracting(e -> ((TarballException) e).code()).isEqualTo(TarballException.UNSAFE_PATH);
        assertThat(outside).isEmptyDirectory();
    }

    private static Tarballs.Listing normalize(byte[] archive) {
        return Tarballs.normalize(new ByteArrayInputStream(archive), OutputStream0.INSTANCE, ROOMY,
                Tarballs.Others.REFUSE);
    }

    private static byte[] tar(String name, String content) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            var data = content.getBytes(StandardCharsets.UTF_8);
            var entry = new TarArchiveEntry(name, true);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** Where bytes that only need checking go. */
    private static final class OutputStream0 {
        static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();
    }
}

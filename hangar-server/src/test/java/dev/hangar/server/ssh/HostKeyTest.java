package dev.hangar.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyTest {
    @TempDir
    Path directory;

    @Test
    void generatedOnceOwnerOnlyAndReadBackTheSame() throws IOException {
        var first = HostKey.ensure(directory.resolve("ssh"));
        var second = HostKey.ensure(directory.resolve("ssh"));

        assertThat(first.file()).isEqualTo(directory.resolve("ssh").resolve("host-ed25519.key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file()))).isEqualTo("rw-------");
        assertThat(Files.readString(first.file())).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).startsWith("SHA256:");
        assertThat(Files.readString(directory.resolve("ssh").resolve("host-ed25519.key.pub")))
                .startsWith(PublicKeyEntry.toString(first.keyPair().getPublic()));
        try (var files = Files.list(directory.resolve("ssh"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("host-ed25519.key", "host-ed25519.key.pub");
        }
    }
}

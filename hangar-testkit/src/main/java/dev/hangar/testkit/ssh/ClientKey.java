package dev.hangar.testkit.ssh;

import dev.hangar.testkit.process.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * An SSH client key pair made by {@code ssh-keygen}, for tests that log in to an {@link SshHost}.
 *
 * @param privateKey the private key in OpenSSH's format, unencrypted, as a client is given it
 * @param publicKey  the public key line ({@code ssh-ed25519 <base64> <comment>}) for {@link SshHost#authorize}
 */
public record ClientKey(String privateKey, String publicKey) {

    @Override
    public String toString() {
        return "ClientKey[" + publicKey + "]";
    }

    /** A new ed25519 key pair without a passphrase; nothing of it is left on disk. */
    public static ClientKey generate() {
        return generate("");
    }

    /** A new ed25519 key pair, its private key encrypted with {@code passphrase} (none when empty). */
    public static ClientKey generate(String passphrase) {
        try {
            var folder = Files.createTempDirectory("hangar-client-key");
            var file = folder.resolve("id_ed25519");
            try {
                Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "hangar-test-client",
                        "-f", file.toString()), Map.of()).requireSuccess();
                return new ClientKey(Files.readString(file), Files.readString(folder.resolve("id_ed25519.pub"))
                        .strip());
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder.resolve("id_ed25519.pub"));
                Files.delete(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make an SSH key pair", e);
        }
    }
}

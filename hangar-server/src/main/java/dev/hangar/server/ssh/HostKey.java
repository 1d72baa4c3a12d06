package dev.hangar.server.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The gateway's host key: an Ed25519 key generated on first start into {@code <data>/ssh/host-ed25519.key} (OpenSSH's
 * private-key format, mode 600, written whole or not at all) with its public half beside it ({@code .pub}), and
 * read back on every later start, so that clients' {@code known_hosts} stay valid.
 */
record HostKey(KeyPair keyPair, Path file) {
    static final String FILE_NAME = "host-ed25519.key";

    /** The key in {@code directory}, generated there when there is none yet. */
    static HostKey ensure(Path directory) {
        var file = directory.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            return new HostKey(read(file), file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the SSH host key " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code SHA256:...}, as {@code ssh-keygen -lf} and the OpenSSH client print it. */
    String fingerprint() {
        return KeyUtils.getFingerPrint(keyPair.getPublic());
    }

    private static void generate(Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        var keyPair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        var temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                new OpenSSHKeyPairResourceWriter().writePrivateKey(keyPair, "hangar-ssh-gateway", null, out);
            }
            Files.writeString(file.resolveSibling(FILE_NAME + ".pub"), PublicKeyEntry.toString(keyPair.getPublic())
                    + " hangar-ssh-gateway\n");
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static KeyPair read(Path file) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            var keys = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, null);
            if (keys == null || !keys.iterator().hasNext()) {
                throw new GeneralSecurityException("the file holds no key");
            }
            return keys.iterator().next();
        }
    }
}

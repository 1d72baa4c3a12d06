package dev.hangar.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The CLI's own OpenSSH known_hosts file, beside its config: the SSH gateway's host keys the user accepted, which
 * {@code compute ssh} has ssh check strictly, so that no script dies on (or blindly answers) ssh's question.
 */
final class KnownHosts {
    /** One line of a known_hosts file or of ssh-keyscan's answer: {@code [host]:port type base64}. */
    record HostKey(String host, String type, String key) {
        static HostKey parse(String line) {
            var words = line.strip().split("\\s+");
            if (words.length < 3 || line.strip().startsWith("#")) {
                return null;
            }
            return new HostKey(words[0], words[1], words[2]);
        }

        /** {@code SHA256:...}, as OpenSSH shows it (and as the server prints its own at start). */
        String fingerprint() {
            try {
                var digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(key));
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
                throw new IllegalStateException("not a host key: " + key, e);
            }
        }

        String line() {
            return host + " " + type + " " + key;
        }
    }

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** How ssh names {@code host} at {@code port} in a known_hosts file: {@code [host]:port}, or host for port 22. */
    static String name(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** Whether a key of {@code host} at {@code port} is pinned. */
    boolean knows(String host, int port) {
        var name = name(host, port);
        return lines().stream().map(HostKey::parse).anyMatch(key -> key != null && key.host().equals(name));
    }

    /** Adds {@code keys} to the file, making it (owner only) if need be. */
    void pin(List<HostKey> keys) {
        try {
            Files.createDirectories(file.getParent());
            var text = new StringBuilder();
            keys.forEach(key -> text.append(key.line()).append('\n'));
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

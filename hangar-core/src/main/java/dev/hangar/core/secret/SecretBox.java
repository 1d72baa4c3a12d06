package dev.hangar.core.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage: AES-256-GCM with a random 96-bit nonce per value, so a sealed value is
 * {@value #PREFIX}{@code <base64 of nonce and ciphertext>}, and a value changed in the database does not open. The
 * key lives apart from the database, in the data directory ({@link #load}) or where the operator keeps it
 * ({@link #read}), so a copy of the database alone tells no secret. To change keys, a box is given the keys it
 * replaces ({@link #replacing}): what they sealed still opens, and the store seals it again with the new key.
 */
public final class SecretBox {
    /** Marks a sealed value; stored values without it are from before sealing and are read as they are. */
    public static final String PREFIX = "hgrsealed1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    /** Keys this one replaces: they still open, never seal. */
    private final List<SecretKeySpec> previous;

    private SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("A secret key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.previous = List.of();
    }

    private SecretBox(SecretKeySpec key, List<SecretKeySpec> previous) {
        this.key = key;
        this.previous = List.copyOf(previous);
    }

    /**
     * The box whose key the operator keeps in {@code file} (32 random bytes, base64, e.g. {@code openssl rand -base64
     * 32}); unlike {@link #load} it is never made here.
     */
    public static SecretBox read(Path file) {
        try {
            return new SecretBox(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot use the secrets key " + file + ": " + e.getMessage()
                    + " (it must hold " + KEY_BYTES + " random bytes in base64, e.g. from 'openssl rand -base64 "
                    + KEY_BYTES + "')", e);
        }
    }

    /** This box, also opening what {@code older} boxes sealed. */
    public SecretBox replacing(List<SecretBox> older) {
        var keys = new java.util.ArrayList<>(previous);
        older.forEach(box -> keys.add(box.key));
        return new SecretBox(key, keys);
    }

    /** Whether {@code stored} is sealed with this box's own key (not a key it replaces, and not unsealed). */
    public boolean sealedWithThisKey(String stored) {
        return stored != null && stored.startsWith(PREFIX) && open(stored, key).isPresent();
    }

    /** A box with a new random key, kept in memory only. */
    public static SecretBox generate() {
        var key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return new SecretBox(key);
    }

    /**
     * The box whose key is in {@code file} (base64), made there first (readable by its owner only, in a folder only
     * its owner enters) when there is none.
     */
    public static SecretBox load(Path file) {
        try {
            if (!Files.exists(file)) {
                var folder = file.toAbsolutePath().getParent();
                Files.createDirectories(folder);
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
                var key = new byte[KEY_BYTES];
                RANDOM.nextBytes(key);
                var temporary = Files.createTempFile(folder, "key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.WRITE);
                Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new SecretBox(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot use the secrets key " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code plain}, sealed; null stays null. */
    public String seal(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            var nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            var sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            var both = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, both, 0, nonce.length);
            System.arraycopy(sealed, 0, both, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(both);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    /**
     * What {@code stored} holds: opened when sealed (with this box's key or one it replaces), as it is when it
     * predates sealing; empty when it was sealed with another key or changed since.
     */
    public Optional<String> open(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return Optional.ofNullable(stored);
        }
        var opened = open(stored, key);
        for (var older : previous) {
            if (opened.isPresent()) {
                break;
            }
            opened = open(stored, older);
        }
        return opened;
    }

    private static Optional<String> open(String stored, SecretKeySpec key) {
        try {
            var both = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            if (both.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, both, 0, NONCE_BYTES));
            return Optional.of(new String(cipher.doFinal(both, NONCE_BYTES, both.length - NONCE_BYTES),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

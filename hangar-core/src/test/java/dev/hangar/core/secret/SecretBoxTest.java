package dev.hangar.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path data;

    @Test
    void sealsSoThatOnlyTheSameKeyOpensAndNothingChangedOpens() {
        var box = SecretBox.generate();
        var sealed = box.seal("token s3cret");

        assertThat(sealed).startsWith(SecretBox.PREFIX).doesNotContain("s3cret");
        assertThat(box.seal("token s3cret")).as("a new nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed)).contains("token s3cret");
        assertThat(SecretBox.generate().open(sealed)).isEmpty();
        var bytes = java.util.Base64.getDecoder().decode(sealed.substring(SecretBox.PREFIX.length()));
        bytes[bytes.length / 2] ^= 1;
        var flipped = SecretBox.PREFIX + java.util.Base64.getEncoder().encodeToString(bytes);
        assertThat(box.open(flipped)).as("one bit changed").isEmpty();
        assertThat(box.open(SecretBox.PREFIX + "not base64!")).isEmpty();
        assertThat(box.open("token from before sealing")).as("values that predate sealing").contains(
                "token from before sealing");
        assertThat(box.seal(null)).isNull();
    }

    @Test
    void theKeyIsMadeOnceInAFileOnlyItsOwnerReads() throws Exception {
        var file = data.resolve("secrets").resolve("store.key");
        var first = SecretBox.load(file);
        var sealed = first.seal("x");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(SecretBox.load(file).open(sealed)).as("the same key, read again").contains("x");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void aBoxOpensWhatTheKeysItReplacesSealedButSealsWithItsOwn() {
        var old = SecretBox.generate();
        var sealedBefore = old.seal("token old");
        var box = SecretBox.generate().replacing(java.util.List.of(old));

        assertThat(box.open(sealedBefore)).contains("token old");
        assertThat(box.sealedWithThisKey(sealedBefore)).isFalse();
        var sealedNow = box.seal("token new");
        assertThat(box.sealedWithThisKey(sealedNow)).isTrue();
        assertThat(old.open(sealedNow)).as("the old key opens nothing new").isEmpty();
        assertThat(box.sealedWithThisKey("not sealed")).isFalse();
    }

    @Test
    void anOperatorsKeyIsReadAndNeverMade() throws Exception {
        var file = data.resolve("operator.key");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> SecretBox.read(file)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(file.toString());
        assertThat(file).doesNotExist();

        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> SecretBox.read(file)))
                .hasMessageContaining("32 random bytes in base64");

        var key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key) + "\n");
        var sealed = SecretBox.read(file).seal("x");
        assertThat(SecretBox.read(file).open(sealed)).contains("x");
    }
}

package dev.hangar.backend.slurm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** JWTs shaped as {@code scontrol token} makes them, signed with a key of the test's own that no cluster has. */
final class Tokens {
    private Tokens() {
    }

    static String forged(String user, Instant expires) {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        var header = encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var claims = encoder.encodeToString(("{\"exp\":" + expires.getEpochSecond() + ",\"iat\":"
                + (expires.getEpochSecond() - 600) + ",\"sun\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8));
        try {
            var key = new byte[32];
            new SecureRandom().nextBytes(key);
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            var signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8));
            return header + "." + claims + "." + encoder.encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

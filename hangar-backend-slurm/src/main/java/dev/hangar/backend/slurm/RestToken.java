package dev.hangar.backend.slurm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A JWT of Slurm's ({@code scontrol token}): slurmrestd hands it to slurmctld, which alone can tell whether it is
 * good. What it says of itself (its user, when it expires) is read here to name the likely cause when slurmctld refuses
 * it. The token never shows in {@link #toString()}.
 *
 * @param user    whom it was made for (its {@code sun} claim), or null when it does not say
 * @param expires when it stops being accepted (its {@code exp} claim), or null when it does not say
 */
record RestToken(String value, String user, Instant expires) {
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.([A-Za-z0-9_-]+)\\.[A-Za-z0-9_-]+");
    private static final String PRINTED_PREFIX = "SLURM_JWT=";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a token as {@code scontrol token} prints it, with or without its {@code SLURM_JWT=}.
     *
     * @throws IllegalArgumentException saying why it is not a JWT
     */
    static RestToken parse(String printed) {
        var value = printed.strip();
        if (value.startsWith(PRINTED_PREFIX)) {
            value = value.substring(PRINTED_PREFIX.length());
        }
        var matcher = JWT.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("it is not three base64url parts joined by dots");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(matcher.group(1)), StandardCharsets.UTF_8));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("its middle part is not base64url-encoded JSON", e);
        }
        if (claims == null || !claims.isObject()) {
            throw new IllegalArgumentException("its middle part holds no JSON object");
        }
        var user = claims.path("sun").isTextual() ? claims.get("sun").asText() : null;
        var expires = claims.path("exp").canConvertToLong() ? Instant.ofEpochSecond(claims.get("exp").asLong())
                : null;
        return new RestToken(value, user, expires);
    }

    boolean expiredAt(Instant now) {
        return expires != null && !expires.isAfter(now);
    }

    @Override
    public String toString() {
        return "RestToken[user=" + user + ", expires=" + expires + "]";
    }
}

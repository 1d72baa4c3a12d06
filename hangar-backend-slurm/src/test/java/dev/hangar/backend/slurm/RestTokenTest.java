package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestTokenTest {
    private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aTokenSaysWhomItIsForAndWhenItExpiresButNeverShowsItself() {
        var printed = Tokens.forged("alice", EXPIRES);

        var token = RestToken.parse("SLURM_JWT=" + printed + "\n");

        assertThat(token.value()).isEqualTo(printed);
        assertThat(token.user()).isEqualTo("alice");
        assertThat(token.expires()).isEqualTo(EXPIRES);
        assertThat(token.expiredAt(EXPIRES.minusSeconds(1))).isFalse();
        assertThat(token.expiredAt(EXPIRES)).isTrue();
        assertThat(token.toString()).isEqualTo("RestToken[user=alice, expires=2030-01-01T00:00:00Z]");
    }

    @Test
    void aTokenWithoutClaimsStillServes() {
        var token = RestToken.parse("eyJhbGciOiJIUzI1NiJ9.e30.c2ln");

        assertThat(token.user()).isNull();
        assertThat(token.expires()).isNull();
        assertThat(token.expiredAt(Instant.now())).isFalse();
    }

    @Test
    void whatIsNoJwtIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RestToken.parse("token"))
                .withMessageContaining("three base64url parts");
        assertThatIllegalArgumentException().isThrownBy(() -> RestToken.parse("a.b c.d"))
                .withMessageContaining("three base64url parts");
        assertThatIllegalArgumentException().isThrownBy(() -> RestToken.parse("a.WzFd.c"))
                .withMessageContaining("no JSON object");
    }
}

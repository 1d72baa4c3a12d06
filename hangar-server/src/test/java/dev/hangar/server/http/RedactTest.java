package dev.hangar.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a request may be logged: its path, on one line, never its query. */
class RedactTest {
    @Test
    void theQueryAndFragmentAreLeftOut() {
        assertThat(Redact.path("/signin?token=hgr_secret&next=/")).isEqualTo("/signin");
        assertThat(Redact.path("/tree#token=hgr_secret")).isEqualTo("/tree");
    }

    @Test
    void controlCharactersCannotBreakTheLine() {
        assertThat(Redact.path("/a\r\nINFO forged\u0000")).isEqualTo("/a??INFO forged?");
    }

    @Test
    void aLongPathIsCutShort() {
        assertThat(Redact.path("/" + "a".repeat(1000))).hasSize(203).endsWith("...");
    }

    @Test
    void aUrlWithABadEscapeOrAnEscapedControlCharacterIsNamed() {
        assertThat(RequestScreen.uriProblem("/hangar/v1/users?x=%zz")).contains("two hex digits");
        assertThat(RequestScreen.uriProblem("/x?api-version=x%00")).contains("%00");
        assertThat(RequestScreen.uriProblem("/x%0D%0Ay")).contains("control character");
        assertThat(RequestScreen.uriProblem("/x?a=%25&b=caf%C3%A9")).isNull();
    }
}

package dev.hangar.server.studio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a browser goes after signing in: a path on this server, or the root. */
class SafeNextTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/workspaces/default/computes/ci/apps/jupyter/", "/a?b=c&d=%2F", "/tree#x"})
    void aPathOnThisServerIsKept(String next) {
        assertThat(SignIn.safeNext(next)).isEqualTo(next);
    }

    /** Browsers drop tabs and line breaks from a URL and read a backslash as a slash: each of these leaves here. */
    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
            "/ /evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example", "evil.example",
            "/\u0000/evil.example", "/caf\u00e9"})
    void anythingElseGoesToTheRoot(String next) {
        assertThat(SignIn.safeNext(next)).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(ints = {SignIn.LONGEST_NEXT + 1, 100 * 1024})
    void aNextTooLongGoesToTheRoot(int length) {
        assertThat(SignIn.safeNext("/" + "a".repeat(length - 1))).isEqualTo("/");
    }
}

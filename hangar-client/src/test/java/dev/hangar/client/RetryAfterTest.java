package dev.hangar.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {

    @ParameterizedTest(name = "Retry-After [{0}] waits {1} ms")
    @CsvSource(nullValues = "absent", value = {
            "absent, 1000", "'', 1000", "0, 0", "1, 1000", "7, 7000", "10, 10000", "3600, 10000", "-5, 1000",
            "'Wed, 21 Oct 2015 07:28:00 GMT', 1000", "soon, 1000"})
    void readsDelaySecondsWithADefaultAndACap(String header, long expectedMillis) {
        assertThat(RetryAfter.parse(header).toMillis()).isEqualTo(expectedMillis);
    }
}

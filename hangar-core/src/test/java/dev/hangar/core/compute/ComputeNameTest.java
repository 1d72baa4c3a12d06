package dev.hangar.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComputeNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"ci1", "abc", "my-instance-01", "A23456789012345678901234", "x-y"})
    void validNames(String name) {
        assertThat(ComputeName.problem(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "1abc", "-abc", "abc-", "a_b_c", "has space", "A234567890123456789012345",
            "café", "a.b.c"})
    void invalidNamesAreRefusedWithTheRule(String name) {
        assertThat(ComputeName.problem(name)).hasValueSatisfying(message -> assertThat(message).isNotBlank());
        assertThatThrownBy(() -> ComputeName.check(name)).isInstanceOf(ApiException.BadRequest.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("InvalidComputeName"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "LOCAL", "Local"})
    void localIsReservedForLocalRuns(String name) {
        assertThat(ComputeName.problem(name)).hasValueSatisfying(message -> assertThat(message)
                .contains("reserved").contains("local run"));
    }
}

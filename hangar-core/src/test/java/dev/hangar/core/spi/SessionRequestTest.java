package dev.hangar.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionRequestTest {
    @Test
    void aCommandMakesNoFolderUnlessAsked() {
        assertThat(new SessionRequest.Command("true", null, Map.of()).folders()).isEmpty();
        assertThat(new SessionRequest.Command("true", null, null, null).folders()).isEmpty();
        assertThat(new SessionRequest.Command("true", null, Map.of(), List.of("jobs/a/outputs", "x")).folders())
                .containsExactly("jobs/a/outputs", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/etc", "..", "../x", "jobs/../../x", "jobs/./a", "jobs//a", "jobs/a/"})
    void aFolderOutsideTheHomeOrNotPlainlyWrittenIsRefused(String folder) {
        assertThatThrownBy(() -> new SessionRequest.Command("true", null, Map.of(), List.of(folder)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("within the home");
    }
}

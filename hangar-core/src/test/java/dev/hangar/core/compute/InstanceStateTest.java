package dev.hangar.core.compute;

import static dev.hangar.core.compute.InstanceState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.api.ProvisioningState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InstanceStateTest {
    /** The whole table, written out once more by hand: every arrow not listed here must be refused. */
    private static final Map<InstanceState, Set<InstanceState>> ALLOWED = Map.of(
            Creating, EnumSet.of(Running, CreateFailed, Deleting),
            Running, EnumSet.of(Stopping, Restarting, Unusable, Deleting),
            Stopping, EnumSet.of(Stopped, Unusable, Deleting),
            Stopped, EnumSet.of(Starting, Deleting),
            Starting, EnumSet.of(Running, Stopped, Unusable, Deleting),
            Restarting, EnumSet.of(Running, Unusable, Deleting),
            CreateFailed, EnumSet.of(Deleting),
            Unusable, EnumSet.of(Deleting),
            Deleting, EnumSet.noneOf(InstanceState.class));

    @ParameterizedTest
    @EnumSource(InstanceState.class)
    void everyArrowIsExactlyAsTheTableSays(InstanceState from) {
        for (var to : InstanceState.values()) {
            var allowed = ALLOWED.get(from).contains(to);
            assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed);
            if (!allowed) {
                assertThatThrownBy(() -> from.moveTo(to)).isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(from.name()).hasMessageContaining(to.name());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(InstanceState.class)
    void provisioningStateIsDerivedFromTheInstanceState(InstanceState state) {
        var expected = switch (state) {
            case Creating -> ProvisioningState.Creating;
            case CreateFailed -> ProvisioningState.Failed;
            case Deleting -> ProvisioningState.Deleting;
            default -> ProvisioningState.Succeeded;
        };
        assertThat(state.provisioningState()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceState.class, names = {"CreateFailed", "Unusable"})
    void failedStatesOnlyAllowDelete(InstanceState state) {
        assertThat(state.isFailed()).isTrue();
        assertThat(EnumSet.allOf(InstanceState.class).stream().filter(state::canMoveTo)).containsExactly(Deleting);
    }
}

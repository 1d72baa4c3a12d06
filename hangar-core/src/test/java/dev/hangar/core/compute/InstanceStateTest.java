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
    private static final Map<InstanceState, Set<InstanceState>> ALLOWED = Map.ofEntries(
            Map.entry(Creating, EnumSet.of(Running, SettingUp, CreateFailed, Deleting)),
            Map.entry(Running, EnumSet.of(Stopping, Restarting, Unusable, Deleting)),
            Map.entry(Stopping, EnumSet.of(Stopped, Unusable, Deleting)),
            Map.entry(Stopped, EnumSet.of(Starting, Deleting)),
            Map.entry(Starting, EnumSet.of(Running, SettingUp, Stopped, Unusable, Deleting)),
            Map.entry(Restarting, EnumSet.of(Running, SettingUp, Unusable, Deleting)),
            Map.entry(SettingUp, EnumSet.of(Running, SetupFailed, Unusable, Deleting)),
            Map.entry(SetupFailed, EnumSet.of(Stopping, Restarting, Unusable, Deleting)),
            Map.entry(CreateFailed, EnumSet.of(Deleting)),
            Map.entry(Unusable, EnumSet.of(Deleting)),
            Map.entry(Deleting, EnumSet.noneOf(InstanceState.class)));

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

    @ParameterizedTest
    @EnumSource(InstanceState.class)
    void onlyARunningOrSettingUpOrSetupFailedInstanceIsReachable(InstanceState state) {
        assertThat(state.isReachable()).isEqualTo(state == Running || state == SettingUp || state == SetupFailed);
    }
}

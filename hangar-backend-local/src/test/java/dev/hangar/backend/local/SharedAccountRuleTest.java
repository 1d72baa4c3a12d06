package dev.hangar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedAccountRuleTest {

    @Test
    void withAnAccountPerInstanceEveryUsersInstanceRuns() {
        var rule = new SharedAccountRule(true, false);

        assertThat(rule.refusal("alice", () -> {
            throw new AssertionError("the others are not read when nothing depends on them");
        })).isEmpty();
    }

    @Test
    void sharingHangarsAccountOneUsersInstancesRun() {
        var rule = new SharedAccountRule(false, false);

        assertThat(rule.refusal("alice", Set::of)).isEmpty();
        assertThat(rule.refusal("alice", () -> Set.of("alice"))).isEmpty();
    }

    @Test
    void sharingHangarsAccountASecondUserIsRefusedNamingTheSetting() {
        var rule = new SharedAccountRule(false, false);

        assertThat(rule.refusal("alice", () -> Set.of("alice", "bob", "carol"))).get().asString()
                .contains("instances of bob, carol", "an instance of alice", "Run Hangar as root",
                        "backend.local.shared-account=true", "HANGAR_BACKEND_LOCAL_SHARED_ACCOUNT");
    }

    @Test
    void theOperatorMayLetUsersShareHangarsAccount() {
        var rule = new SharedAccountRule(false, true);

        assertThat(rule.refusal("alice", () -> Set.of("bob"))).isEmpty();
    }
}

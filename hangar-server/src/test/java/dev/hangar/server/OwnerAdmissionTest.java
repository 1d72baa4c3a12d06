package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.OwnerAdmission;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.testkit.time.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend that takes one user's instances only is asked at create, and its refusal is a 409 nothing recorded. */
class OwnerAdmissionTest {
    @TempDir
    Path directory;

    @Test
    void aSecondUsersInstanceIsRefusedWithTheBackendsReasonAndNothingIsRecorded() {
        var fixture = StoreWithAWorkspace.open(directory, new TestClock(Instant.parse("2026-12-07T09:00:00Z")));
        var asked = new ArrayList<String>();
        OwnerAdmission oneUser = (backend, owner, others) -> {
            asked.add(backend + ":" + owner + ":" + others.get());
            var strangers = new java.util.TreeSet<>(others.get());
            strangers.remove(owner);
            return strangers.isEmpty() ? Optional.empty()
                    : Optional.of("instances of " + strangers + " run here; set backend.local.shared-account=true");
        };
        var computes = new ComputeService(fixture.store(), VmSizeCatalog.defaults(), new AccessPolicy(),
                java.time.Clock.systemUTC(), "local", id -> { }, new ShareDisk(directory.resolve("files"), null),
                IdleRules.DEFAULT, oneUser);
        var bob = new User(UUID.randomUUID(), "bob", null, false, Instant.now());
        fixture.store().inTransaction(tx -> {
            tx.insertUser(bob);
            return null;
        });

        computes.createOrUpdate(fixture.admin(), fixture.workspace(), "admins", request(null));
        computes.createOrUpdate(fixture.admin(), fixture.workspace(), "admins2", request(null));
        var refused = catchThrowableOfType(ApiException.class, () -> computes.createOrUpdate(fixture.admin(),
                fixture.workspace(), "bobs", request(bob)));

        assertThat(refused).isInstanceOf(ApiException.Conflict.class);
        assertThat(refused.code()).isEqualTo("InstancesShareHangarsAccount");
        assertThat(refused.getMessage()).contains("[admin]", "backend.local.shared-account=true");
        assertThat(computes.find(fixture.workspace(), "bobs")).isEmpty();
        assertThat(asked).containsExactly("local:admin:[]", "local:admin:[admin]", "local:bob:[admin]");
    }

    private static InstanceRequest request(User assigned) {
        return new InstanceRequest("Standard_DS1_v2", null, null, assigned == null ? null : assigned.ref(), null, null,
                null, null, null, List.of());
    }
}

package dev.hangar.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CoreLedgerTest {
    private static final UUID TEAM = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private static final String DS = "standardDSv2Family";
    private static final String NC = "standardNCSv3Family";

    private static QuotaLimit location(String family, VmPriority priority, long limit) {
        return new QuotaLimit("sub", "local", null, family, priority, limit);
    }

    private static QuotaLimit workspace(UUID id, String family, long limit) {
        return new QuotaLimit("sub", "local", id, family, VmPriority.Dedicated, limit);
    }

    private static CoreReservation holds(UUID workspace, String family, VmPriority priority, int cores) {
        return new CoreReservation(UUID.randomUUID(), workspace, "c", family, priority, cores);
    }

    @Test
    void sumsByWorkspaceFamilyAndPriority() {
        var ledger = new CoreLedger(List.of(), List.of(holds(TEAM, DS, VmPriority.Dedicated, 4),
                holds(TEAM, NC, VmPriority.Dedicated, 6), holds(OTHER, DS, VmPriority.Dedicated, 2),
                holds(TEAM, DS, VmPriority.LowPriority, 8)));

        assertThat(ledger.used(null, null, VmPriority.Dedicated)).isEqualTo(12);
        assertThat(ledger.used(null, "STANDARDDSV2FAMILY", VmPriority.Dedicated)).isEqualTo(6);
        assertThat(ledger.used(TEAM, DS, VmPriority.Dedicated)).isEqualTo(4);
        assertThat(ledger.used(TEAM, null, VmPriority.LowPriority)).isEqualTo(8);
    }

    @Test
    void withoutLimitsEverythingFits() {
        var ledger = new CoreLedger(List.of(), List.of(holds(TEAM, DS, VmPriority.Dedicated, 1000)));
        assertThat(ledger.check(TEAM, DS, VmPriority.Dedicated, 1000)).isEmpty();
    }

    @Test
    void exactlyFillingALimitFitsAndOneMoreCoreDoesNot() {
        var ledger = new CoreLedger(List.of(location(DS, VmPriority.Dedicated, 8)),
                List.of(holds(TEAM, DS, VmPriority.Dedicated, 4)));
        assertThat(ledger.check(TEAM, DS, VmPriority.Dedicated, 4)).isEmpty();
        assertThat(ledger.check(OTHER, DS, VmPriority.Dedicated, 5)).contains(new CoreLedger.Breach(false,
                "Standard_DSv2_Family_Cluster_Dedicated_vCPUs", 8, 4, 5));
    }

    @Test
    void theWorkspacesLimitIsCheckedFirstAndCountsOnlyItsOwnCores() {
        var ledger = new CoreLedger(List.of(workspace(TEAM, DS, 4), location(DS, VmPriority.Dedicated, 6),
                location(null, VmPriority.Dedicated, 100)), List.of(holds(TEAM, DS, VmPriority.Dedicated, 2),
                holds(OTHER, DS, VmPriority.Dedicated, 3)));

        assertThat(ledger.check(TEAM, DS, VmPriority.Dedicated, 3)).get()
                .extracting(CoreLedger.Breach::inWorkspace, CoreLedger.Breach::limit, CoreLedger.Breach::used)
                .containsExactly(true, 4L, 2L);
        assertThat(ledger.check(TEAM, DS, VmPriority.Dedicated, 2)).get()
                .as("the workspace has room, the location's family quota has not")
                .extracting(CoreLedger.Breach::inWorkspace, CoreLedger.Breach::limit, CoreLedger.Breach::used)
                .containsExactly(false, 6L, 5L);
        assertThat(ledger.check(TEAM, DS, VmPriority.Dedicated, 1)).isEmpty();
    }

    @Test
    void lowPriorityCoresCountAgainstTheirOwnTotalOnly() {
        var ledger = new CoreLedger(List.of(location(null, VmPriority.Dedicated, 0),
                location(null, VmPriority.LowPriority, 10)), List.of(holds(TEAM, DS, VmPriority.LowPriority, 8)));
        assertThat(ledger.check(TEAM, DS, VmPriority.LowPriority, 2)).isEmpty();
        assertThat(ledger.check(TEAM, DS, VmPriority.LowPriority, 3)).get()
                .extracting(CoreLedger.Breach::quotaName).isEqualTo("Total_Cluster_LowPriority_Regional_vCPUs");
        assertThat(ledger.check(TEAM, DS, VmPriority.Dedicated, 1)).as("a limit of 0 admits nothing").isPresent();
    }
}

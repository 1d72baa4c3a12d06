package dev.hangar.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaNameTest {
    private static final List<String> FAMILIES = List.of("standardDSv2Family", "standardNCSv3Family", "gpuA100");

    @Test
    void azureFamiliesReadAsAzureNamesThem() {
        assertThat(QuotaName.of("standardDSv2Family", VmPriority.Dedicated))
                .isEqualTo("Standard_DSv2_Family_Cluster_Dedicated_vCPUs");
        assertThat(QuotaName.of("standardNCSv3Family", VmPriority.LowPriority))
                .isEqualTo("Standard_NCSv3_Family_Cluster_LowPriority_vCPUs");
        assertThat(QuotaName.total(VmPriority.Dedicated)).isEqualTo("Total_Cluster_Dedicated_Regional_vCPUs");
        assertThat(QuotaName.display("Standard_DSv2_Family_Cluster_Dedicated_vCPUs"))
                .isEqualTo("Standard DSv2 Family Cluster Dedicated vCPUs");
    }

    @Test
    void aFamilyOfAnotherPatternKeepsItsName() {
        assertThat(QuotaName.of("gpuA100", VmPriority.Dedicated)).isEqualTo("gpuA100_Cluster_Dedicated_vCPUs");
    }

    @Test
    void parsingIgnoresCaseAndTakesSpacesForUnderscores() {
        assertThat(QuotaName.parse("standard_dsv2_family_cluster_dedicated_vcpus", FAMILIES))
                .contains(new QuotaName.Parsed("standardDSv2Family", VmPriority.Dedicated));
        assertThat(QuotaName.parse("Standard NCSv3 Family Cluster LowPriority vCPUs", FAMILIES))
                .contains(new QuotaName.Parsed("standardNCSv3Family", VmPriority.LowPriority));
        assertThat(QuotaName.parse("Total_Cluster_LowPriority_Regional_vCPUs", FAMILIES))
                .contains(new QuotaName.Parsed(null, VmPriority.LowPriority));
        assertThat(QuotaName.parse("gpuA100_Cluster_Dedicated_vCPUs", FAMILIES))
                .contains(new QuotaName.Parsed("gpuA100", VmPriority.Dedicated));
    }

    @Test
    void aNameOfNoKnownFamilyIsNoQuota() {
        assertThat(QuotaName.parse("Standard_M_Family_Cluster_Dedicated_vCPUs", FAMILIES)).isEmpty();
        assertThat(QuotaName.parse("standardDSv2Family", FAMILIES)).isEmpty();
    }
}

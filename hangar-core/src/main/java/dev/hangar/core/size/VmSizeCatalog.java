package dev.hangar.core.size;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The VM sizes Hangar offers. Names are matched case-insensitively, as Azure's clients send them in any case. */
public final class VmSizeCatalog {
    private static final List<String> BOTH = List.of("AmlCompute", "ComputeInstance");

    /** Azure-like defaults: the general-purpose D and DSv2 families and a GPU size. */
    public static final List<VmSize> DEFAULTS = List.of(
            new VmSize("Standard_DS1_v2", "standardDSv2Family", 1, 3.5, 0, 0.073, true, BOTH),
            new VmSize("Standard_DS2_v2", "standardDSv2Family", 2, 7, 0, 0.146, true, BOTH),
            new VmSize("Standard_DS3_v2", "standardDSv2Family", 4, 14, 0, 0.293, true, BOTH),
            new VmSize("Standard_DS4_v2", "standardDSv2Family", 8, 28, 0, 0.585, true, BOTH),
            new VmSize("Standard_DS11_v2", "standardDSv2Family", 2, 14, 0, 0.185, true, BOTH),
            new VmSize("Standard_DS12_v2", "standardDSv2Family", 4, 28, 0, 0.371, true, BOTH),
            new VmSize("Standard_D2s_v3", "standardDSv3Family", 2, 8, 0, 0.096, true, BOTH),
            new VmSize("Standard_D4s_v3", "standardDSv3Family", 4, 16, 0, 0.192, true, BOTH),
            new VmSize("Standard_E4s_v3", "standardESv3Family", 4, 32, 0, 0.252, true, BOTH),
            new VmSize("Standard_NC6s_v3", "standardNCSv3Family", 6, 112, 1, 3.06, true, BOTH));

    private final List<VmSize> sizes;

    public VmSizeCatalog(List<VmSize> sizes) {
        this.sizes = List.copyOf(sizes);
    }

    public static VmSizeCatalog defaults() {
        return new VmSizeCatalog(DEFAULTS);
    }

    public List<VmSize> all() {
        return sizes;
    }

    public Optional<VmSize> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        var wanted = name.toLowerCase(Locale.ROOT);
        return sizes.stream().filter(size -> size.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }
}

package dev.hangar.core.size;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The VM sizes Hangar offers, as last read from the store ({@link VmSizeService} replaces them after each change).
 * Names are matched case-insensitively, as Azure's clients send them in any case. Thread-safe.
 */
public final class VmSizeCatalog {
    /** The compute types a size may serve. */
    public static final List<String> COMPUTE_TYPES = List.of("AmlCompute", "ComputeInstance");

    /**
     * Azure-like defaults, with Azure's pay-as-you-go Linux prices in US dollars: the general-purpose DSv2 and DSv3
     * families, a memory-optimised size and a GPU size. A new store is seeded with them; administrators edit them.
     */
    public static final List<VmSize> DEFAULTS = List.of(
            size("Standard_DS1_v2", "standardDSv2Family", 1, 3.5, 0, 0.073),
            size("Standard_DS2_v2", "standardDSv2Family", 2, 7, 0, 0.146),
            size("Standard_DS3_v2", "standardDSv2Family", 4, 14, 0, 0.293),
            size("Standard_DS4_v2", "standardDSv2Family", 8, 28, 0, 0.585),
            size("Standard_DS11_v2", "standardDSv2Family", 2, 14, 0, 0.185),
            size("Standard_DS12_v2", "standardDSv2Family", 4, 28, 0, 0.371),
            size("Standard_D2s_v3", "standardDSv3Family", 2, 8, 0, 0.096),
            size("Standard_D4s_v3", "standardDSv3Family", 4, 16, 0, 0.192),
            size("Standard_E4s_v3", "standardESv3Family", 4, 32, 0, 0.252),
            size("Standard_NC6s_v3", "standardNCSv3Family", 6, 112, 1, 3.06));

    private volatile List<VmSize> sizes;

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

    /**
     * The size a new compute of {@code computeType} asks for; 400 {@code UnknownVmSize} naming {@code field} when no
     * size has that name or the size does not serve that type.
     *
     * @param served the type as the refusal names it, e.g. {@code "compute instances"}
     */
    public VmSize admit(String name, String computeType, String served, String field) {
        var size = find(name).orElseThrow(() -> ApiException.badRequest(ErrorCodes.UNKNOWN_VM_SIZE, "VM size '" + name
                + "' is not available. Run 'hangar compute list-sizes' for the sizes this server offers.", field));
        if (size.computeTypes().stream().noneMatch(computeType::equalsIgnoreCase)) {
            throw ApiException.badRequest(ErrorCodes.UNKNOWN_VM_SIZE, "VM size '" + size.name() + "' serves "
                    + String.join(", ", size.computeTypes()) + ", not " + served + ".", field);
        }
        return size;
    }

    /** Replaces every size with {@code latest}, the store's list after a change. */
    public void replace(List<VmSize> latest) {
        this.sizes = List.copyOf(latest);
    }

    /** A default size: low priority at a fifth of the dedicated price, as Azure roughly prices it. */
    private static VmSize size(String name, String family, int vCpus, double memoryGb, int gpus, double price) {
        return new VmSize(name, family, vCpus, memoryGb, gpus, price, Math.round(price * 200) / 1000.0, true,
                COMPUTE_TYPES);
    }
}

package dev.hangar.core.size;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.Store;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * Administrators' changes to the VM size catalog. The store holds the catalog (seeded with
 * {@link VmSizeCatalog#DEFAULTS}); after each change the in-memory {@link VmSizeCatalog} is replaced with it.
 * A size computes use keeps its family and vCPUs, which their reserved cores were counted from, and cannot be removed.
 *
 * <p>Thread-safe; blocking (it uses the store).
 */
public final class VmSizeService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final int MAX_VCPUS = 1024;
    private static final double MAX_MEMORY_GB = 65_536;
    private static final int MAX_GPUS = 64;
    private static final double MAX_PRICE = 10_000;

    private final Store store;
    private final VmSizeCatalog catalog;
    private final AccessPolicy access;

    public VmSizeService(Store store, VmSizeCatalog catalog, AccessPolicy access) {
        this.store = store;
        this.catalog = catalog;
        this.access = access;
    }

    /** Fills the catalog with the store's sizes; call once at start. */
    public void load() {
        catalog.replace(store.read(tx -> tx.vmSizes()));
    }

    /** A change: the size as it now is, and whether it is new. */
    public record Put(VmSize size, boolean created) {
    }

    /** Adds the size or replaces the one of that name (in any case); 400 for a field out of range. */
    public Put put(User caller, VmSize size) {
        requireWrite(caller, size.name());
        var checked = validate(size);
        var put = store.inTransaction(tx -> {
            var existing = tx.vmSizes().stream().filter(s -> s.name().equalsIgnoreCase(checked.name())).findFirst();
            if (existing.isPresent() && (existing.get().vCpus() != checked.vCpus()
                    || !existing.get().family().equalsIgnoreCase(checked.family()))) {
                var users = tx.countComputesOfSize(checked.name());
                if (users > 0) {
                    throw ApiException.conflict(ErrorCodes.VM_SIZE_IN_USE, "VM size '" + checked.name() + "' is used"
                            + " by " + users + " compute(s), whose cores were counted as " + existing.get().vCpus()
                            + " vCPUs of " + existing.get().family() + ". Its family and vCPUs cannot change while"
                            + " it is used; add a size under a new name instead.");
                }
            }
            tx.putVmSize(checked);
            return new Put(checked, existing.isEmpty());
        });
        load();
        return put;
    }

    /** Removes the size; false when there is none. 409 while computes use it. */
    public boolean delete(User caller, String name) {
        access.requireAdmin(caller, Action.VM_SIZE_DELETE, "/hangar/v1/vmSizes/" + name);
        var deleted = store.inTransaction(tx -> {
            if (tx.vmSizes().stream().noneMatch(s -> s.name().equalsIgnoreCase(name))) {
                return false;
            }
            var users = tx.countComputesOfSize(name);
            if (users > 0) {
                throw ApiException.conflict(ErrorCodes.VM_SIZE_IN_USE, "VM size '" + name + "' is used by " + users
                        + " compute(s); delete them first.");
            }
            tx.deleteVmSize(name);
            return true;
        });
        load();
        return deleted;
    }

    /** Refuses changes of the catalog to all but administrators; routes call it before they read the body. */
    public void requireWrite(User caller, String name) {
        access.requireAdmin(caller, Action.VM_SIZE_WRITE, "/hangar/v1/vmSizes/" + name);
    }

    private static VmSize validate(VmSize size) {
        if (size.name() == null || !NAME.matcher(size.name()).matches()) {
            throw invalid("name", "A VM size's name is a letter followed by up to 63 letters, digits and"
                    + " underscores, like Standard_DS3_v2; '" + size.name() + "' is not.");
        }
        if (size.family() == null || !NAME.matcher(size.family()).matches()) {
            throw invalid("family", "A VM family's name is a letter followed by up to 63 letters, digits and"
                    + " underscores, like standardDSv2Family; '" + size.family() + "' is not.");
        }
        if (size.vCpus() < 1 || size.vCpus() > MAX_VCPUS) {
            throw invalid("vCPUs", "vCPUs must be from 1 to " + MAX_VCPUS + ", was " + size.vCpus() + ".");
        }
        if (!(size.memoryGb() > 0 && size.memoryGb() <= MAX_MEMORY_GB)) {
            throw invalid("memoryGB", "memoryGB must be more than 0 and at most " + MAX_MEMORY_GB + ", was "
                    + size.memoryGb() + ".");
        }
        if (size.gpus() < 0 || size.gpus() > MAX_GPUS) {
            throw invalid("gpus", "gpus must be from 0 to " + MAX_GPUS + ", was " + size.gpus() + ".");
        }
        for (var price : new double[] {size.pricePerHour(), size.lowPriorityPricePerHour()}) {
            if (!(price >= 0 && price <= MAX_PRICE)) {
                throw invalid("estimatedVMPrices", "A price per hour must be from 0 to " + MAX_PRICE + ", was "
                        + price + ".");
            }
        }
        if (size.computeTypes().isEmpty()) {
            throw invalid("supportedComputeTypes", "supportedComputeTypes must name at least one of "
                    + VmSizeCatalog.COMPUTE_TYPES + ".");
        }
        var types = new ArrayList<String>();
        for (var type : size.computeTypes()) {
            var known = VmSizeCatalog.COMPUTE_TYPES.stream().filter(type::equalsIgnoreCase).findFirst()
                    .orElseThrow(() -> invalid("supportedComputeTypes", "'" + type + "' is not a compute type a"
                            + " size can serve; they are " + VmSizeCatalog.COMPUTE_TYPES + "."));
            if (!types.contains(known)) {
                types.add(known);
            }
        }
        return new VmSize(size.name(), size.family(), size.vCpus(), size.memoryGb(), size.gpus(),
                size.pricePerHour(), size.lowPriorityPricePerHour(), size.lowPriorityCapable(), types);
    }

    private static ApiException invalid(String target, String message) {
        return ApiException.badRequest(ErrorCodes.INVALID_VM_SIZE, message, target);
    }
}

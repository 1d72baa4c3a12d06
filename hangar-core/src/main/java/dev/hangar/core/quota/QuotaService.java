package dev.hangar.core.quota;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Core quotas of a location ({@code usages}, {@code quotas}, {@code updateQuotas}). Anyone signed in reads a
 * location's totals and families, and the workspaces there they may read; only administrators change limits.
 * Admission itself is {@link QuotaAdmission}.
 *
 * <p>Thread-safe; blocking (it uses the store), so call it from virtual threads.
 */
public final class QuotaService {
    /** The largest limit accepted: beyond it a number is a typing slip, not a plan. */
    public static final long MAX_LIMIT = 100_000;

    private final Store store;
    private final VmSizeCatalog sizes;
    private final AccessPolicy access;

    public QuotaService(Store store, VmSizeCatalog sizes, AccessPolicy access) {
        this.store = store;
        this.sizes = sizes;
        this.access = access;
    }

    /**
     * What a location's computes hold: per priority, the location's total, then each family with the workspaces that
     * hold or limit its cores, and with {@code expandChildren} each compute in them, and last each attached compute
     * of the workspaces, which holds none.
     */
    public List<CoreUsage> usages(User caller, String subscriptionId, String location, boolean expandChildren) {
        return store.read(tx -> {
            var workspaces = readable(tx, caller, subscriptionId, location);
            var ledger = ledger(tx, subscriptionId, location);
            var lines = new ArrayList<CoreUsage>();
            for (var priority : VmPriority.values()) {
                lines.add(new CoreUsage(null, null, null, priority, ledger.used(null, null, priority),
                        ledger.limit(null, null, priority)));
                for (var family : families(ledger)) {
                    var familyLimit = ledger.limit(null, family, priority);
                    lines.add(new CoreUsage(null, null, family, priority, ledger.used(null, family, priority),
                            familyLimit));
                    for (var workspace : workspaces) {
                        var own = ledger.limit(workspace.id(), family, priority);
                        var used = ledger.used(workspace.id(), family, priority);
                        if (used == 0 && own == QuotaLimit.NONE) {
                            continue;
                        }
                        var limit = own == QuotaLimit.NONE ? familyLimit : own;
                        lines.add(new CoreUsage(workspace, null, family, priority, used, limit));
                        if (expandChildren) {
                            ledger.reservations().stream()
                                    .filter(r -> r.workspaceId().equals(workspace.id()) && r.priority() == priority
                                            && r.family().equalsIgnoreCase(family))
                                    .sorted(Comparator.comparing(r -> r.computeName().toLowerCase(Locale.ROOT)))
                                    .forEach(r -> lines.add(new CoreUsage(workspace, r.computeName(), family,
                                            priority, r.cores(), limit)));
                        }
                    }
                }
            }
            if (expandChildren) {
                // Attached computes run on nodes of their own: listed, as attached, holding none of these cores.
                var listed = workspaces.stream().map(Workspace::id).collect(java.util.stream.Collectors.toSet());
                var byId = workspaces.stream().collect(java.util.stream.Collectors.toMap(Workspace::id,
                        workspace -> workspace));
                tx.allAttached().stream().filter(attached -> listed.contains(attached.workspaceId()))
                        .forEach(attached -> lines.add(CoreUsage.attached(byId.get(attached.workspaceId()),
                                attached.name(), attached.kind())));
            }
            return lines;
        });
    }

    /** Every limit of a location: per priority its total, then each family's and each readable workspace's. */
    public List<Quota> quotas(User caller, String subscriptionId, String location) {
        return store.read(tx -> {
            var workspaces = readable(tx, caller, subscriptionId, location);
            var ledger = ledger(tx, subscriptionId, location);
            var lines = new ArrayList<Quota>();
            for (var priority : VmPriority.values()) {
                lines.add(new Quota(null, null, priority, ledger.limit(null, null, priority)));
                for (var family : families(ledger)) {
                    lines.add(new Quota(null, family, priority, ledger.limit(null, family, priority)));
                    for (var workspace : workspaces) {
                        lines.add(new Quota(workspace, family, priority, ledger.limit(workspace.id(), family,
                                priority)));
                    }
                }
            }
            return lines;
        });
    }

    /**
     * Applies every change or none: a limit out of range, a name that is no quota, a workspace that does not exist or
     * lies in another location refuses the whole request with 400. Lowering a limit below what is in use is allowed:
     * what exists keeps its cores, and new computes wait for room.
     */
    public List<Quota> update(User caller, String subscriptionId, String location, List<QuotaChange> changes) {
        requireUpdate(caller, subscriptionId, location);
        if (changes.isEmpty()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "'value' lists no quota to update.", "value");
        }
        return store.inTransaction(tx -> {
            var families = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            sizes.all().stream().map(VmSize::family).forEach(families::add);
            var applied = new ArrayList<Quota>();
            for (int i = 0; i < changes.size(); i++) {
                var change = changes.get(i);
                var target = "value[" + i + "]";
                if (change.limit() != QuotaLimit.NONE && (change.limit() < 0 || change.limit() > MAX_LIMIT)) {
                    throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_LIMIT, "The limit of quota '"
                            + change.quotaName() + "' is " + change.limit() + "; a limit is a number of cores from 0"
                            + " to " + MAX_LIMIT + ", or -1 for no limit of its own.", target + ".limit");
                }
                var parsed = QuotaName.parse(change.quotaName(), families).orElseThrow(() -> ApiException.badRequest(
                        ErrorCodes.INVALID_VM_FAMILY_NAME, "'" + change.quotaName() + "' names no quota. Quotas are"
                                + " named like " + QuotaName.of(families.isEmpty() ? "standardDSv2Family"
                                : families.first(), VmPriority.Dedicated) + " (one VM family's cores) or "
                                + QuotaName.total(VmPriority.Dedicated) + " (a location's); 'hangar quota list'"
                                + " shows them all.", target + ".id"));
                Workspace workspace = null;
                if (change.workspace() != null) {
                    workspace = tx.findWorkspace(subscriptionId, change.resourceGroup(), change.workspace())
                            .orElseThrow(() -> ApiException.badRequest(ErrorCodes.INVALID_QUOTA_ID, "Workspace '"
                                    + change.workspace() + "' does not exist in resource group '"
                                    + change.resourceGroup() + "'.", target + ".id"));
                    if (!workspace.location().equalsIgnoreCase(location)) {
                        throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_ID, "Workspace '" + workspace.name()
                                + "' is in location '" + workspace.location() + "', not '" + location + "'.",
                                target + ".id");
                    }
                    if (parsed.family() == null) {
                        throw ApiException.badRequest(ErrorCodes.INVALID_VM_FAMILY_NAME, "A workspace's quotas are"
                                + " per VM family; '" + change.quotaName() + "' is a location's total.",
                                target + ".id");
                    }
                }
                var limit = new QuotaLimit(subscriptionId, location, workspace == null ? null : workspace.id(),
                        parsed.family(), parsed.priority(), change.limit());
                tx.putQuotaLimit(limit);
                applied.add(new Quota(workspace, parsed.family(), parsed.priority(), change.limit()));
            }
            return applied;
        });
    }

    /** Refuses {@code updateQuotas} to all but administrators; routes call it before they read the body. */
    public void requireUpdate(User caller, String subscriptionId, String location) {
        access.requireAdmin(caller, Action.QUOTA_WRITE, "/subscriptions/" + subscriptionId
                + "/providers/Microsoft.MachineLearningServices/locations/" + location);
    }

    private static CoreLedger ledger(Transaction tx, String subscriptionId, String location) {
        return new CoreLedger(tx.quotaLimits(subscriptionId, location),
                tx.coreReservations(subscriptionId, location));
    }

    /** The catalog's families and any others that still hold cores or have limits, by name. */
    private TreeSet<String> families(CoreLedger ledger) {
        var families = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        sizes.all().stream().map(VmSize::family).forEach(families::add);
        ledger.reservations().forEach(r -> families.add(r.family()));
        ledger.limits().stream().map(QuotaLimit::family).filter(f -> f != null).forEach(families::add);
        return families;
    }

    private List<Workspace> readable(Transaction tx, User caller, String subscriptionId, String location) {
        return tx.workspaces(subscriptionId, null).stream()
                .filter(workspace -> workspace.location().equalsIgnoreCase(location))
                .filter(workspace -> access.grants(tx, caller, workspace.id()).allows(Action.WORKSPACE_READ))
                .toList();
    }
}

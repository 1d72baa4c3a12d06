package dev.hangar.core.workspace;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.name.DeviceNames;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Workspaces: found by their ARM coordinates, created or updated by admins. A workspace name is unique on a server
 * (whatever its subscription and resource group), because app gateway paths name workspaces by name alone.
 */
public final class WorkspaceService {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}");
    /** Azure's location names (eastus), and Hangar's own (local); a location goes into URLs and headers. */
    private static final Pattern LOCATION = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** Azure's rule for resource groups: 1 to 90 letters, digits, '_', '(', ')', '-' and '.', not ending in '.'. */
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[\\p{L}\\p{N}_().-]{0,89}[\\p{L}\\p{N}_()-]");
    /** A subscription: Azure's GUIDs, or any id of letters, digits and hyphens a configuration names. */
    private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;

    public WorkspaceService(Store store, AccessPolicy access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    /** The workspace at these coordinates, or 404 {@code ResourceNotFound}. */
    public Workspace get(String subscriptionId, String resourceGroup, String name) {
        return store.read(tx -> tx.findWorkspace(subscriptionId, resourceGroup, name)).orElseThrow(() ->
                ApiException.notFound("Workspace '" + name + "' was not found in resource group '" + resourceGroup
                        + "' of subscription '" + subscriptionId + "'."));
    }

    public Optional<Workspace> byId(UUID id) {
        return store.read(tx -> tx.workspace(id));
    }

    /** The workspace with this name, any case: names are unique on a server (the app gateway's paths need it). */
    public Optional<Workspace> named(String name) {
        return store.read(tx -> tx.allWorkspaces()).stream()
                .filter(workspace -> workspace.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The workspace, for a caller whose roles there grant {@code workspaces/read}; else 403. */
    public Workspace read(User caller, String subscriptionId, String resourceGroup, String name) {
        var workspace = get(subscriptionId, resourceGroup, name);
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.WORKSPACE_READ, workspace.armId());
            return null;
        });
        return workspace;
    }

    /** The workspaces (of a subscription, and of a resource group when given) the caller may read. */
    public List<Workspace> list(User caller, String subscriptionId, String resourceGroup) {
        return store.read(tx -> tx.workspaces(subscriptionId, resourceGroup).stream()
                .filter(workspace -> access.grants(tx, caller, workspace.id()).allows(Action.WORKSPACE_READ))
                .toList());
    }

    /** Every workspace of the server the caller may read, whatever its subscription, by name. */
    public List<Workspace> all(User caller) {
        return store.read(tx -> tx.allWorkspaces().stream()
                .filter(workspace -> access.grants(tx, caller, workspace.id()).allows(Action.WORKSPACE_READ))
                .sorted(java.util.Comparator.comparing(workspace -> workspace.name().toLowerCase(
                        java.util.Locale.ROOT)))
                .toList());
    }

    /** Refuses anyone but an administrator the making or changing of workspaces; {@link #put} checks it too. */
    public void requireWrite(User caller, String subscriptionId, String resourceGroup, String name) {
        access.requireAdmin(caller, Action.WORKSPACE_WRITE, "/subscriptions/" + subscriptionId + "/resourceGroups/"
                + resourceGroup + "/providers/Microsoft.MachineLearningServices/workspaces/" + name);
    }

    /** Creates the workspace, or updates its description and tags; its location is fixed at creation. */
    public Workspace put(User caller, String subscriptionId, String resourceGroup, String name, String location,
                         String description, Map<String, String> tags) {
        requireWrite(caller, subscriptionId, resourceGroup, name);
        if (subscriptionId == null || !SUBSCRIPTION.matcher(subscriptionId).matches()) {
            throw ApiException.badRequest("InvalidSubscriptionId", "A subscription id is 1 to 64 letters, digits and"
                    + " hyphens (Azure's are GUIDs).", "subscriptionId");
        }
        if (resourceGroup == null || !RESOURCE_GROUP.matcher(resourceGroup).matches()) {
            throw ApiException.badRequest("InvalidResourceGroupName", "A resource group name is 1 to 90 letters,"
                    + " digits, underscores, parentheses, hyphens and periods, not ending in a period.",
                    "resourceGroupName");
        }
        if (!NAME.matcher(name).matches() || DeviceNames.isReserved(name)) {
            throw ApiException.badRequest("InvalidWorkspaceName", "Workspace name '" + name + "' is invalid: it must"
                    + " be 3 to 33 letters, digits, hyphens and underscores, starting with a letter or digit, and not a"
                    + " device name such as CON or NUL.", "name");
        }
        try {
            return store.inTransaction(tx -> {
                var existing = tx.findWorkspace(subscriptionId, resourceGroup, name);
                if (existing.isPresent()) {
                    var current = existing.get();
                    var updated = new Workspace(current.id(), current.subscriptionId(), current.resourceGroup(),
                            current.name(), current.location(), description, tags, current.createdOn());
                    tx.updateWorkspace(updated);
                    return updated;
                }
                if (tx.allWorkspaces().stream().anyMatch(other -> other.name().equalsIgnoreCase(name))) {
                    throw ApiException.conflict("WorkspaceNameTaken", "A workspace named '" + name + "' already"
                            + " exists on this server in another resource group; workspace names are unique here.");
                }
                if (location == null || location.isBlank()) {
                    throw ApiException.badRequest("LocationRequired", "A new workspace needs a location.",
                            "location");
                }
                if (!LOCATION.matcher(location).matches()) {
                    throw ApiException.badRequest("InvalidLocation", "A location is 1 to 64 letters, digits, hyphens"
                            + " and underscores (e.g. 'eastus' or 'local').", "location");
                }
                var created = new Workspace(UUID.randomUUID(), subscriptionId, resourceGroup, name, location,
                        description, tags, clock.instant());
                tx.insertWorkspace(created);
                return created;
            });
        } catch (ConcurrentUpdateException e) {
            throw ApiException.conflict("WorkspaceNameTaken", "Workspace '" + name + "' was created concurrently.");
        }
    }

    /** Creates the server's default workspace on first start; leaves an existing one alone. */
    public Workspace ensure(String subscriptionId, String resourceGroup, String name, String location) {
        return store.inTransaction(tx -> tx.findWorkspace(subscriptionId, resourceGroup, name).orElseGet(() -> {
            var created = new Workspace(UUID.randomUUID(), subscriptionId, resourceGroup, name, location,
                    "The default workspace", null, clock.instant());
            tx.insertWorkspace(created);
            return created;
        }));
    }
}

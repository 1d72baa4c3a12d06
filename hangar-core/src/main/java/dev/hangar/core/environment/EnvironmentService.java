package dev.hangar.core.environment;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.name.DeviceNames;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Environments: named, versioned container images that jobs run in. Hangar runs the images it is given and builds
 * none, so a version is an image reference; a version is immutable once recorded (the same image again is a client's
 * retry). Beside the workspace's own are Hangar's {@link CuratedEnvironments curated} ones, read-only, in every
 * workspace. Each call checks the caller's action in the workspace.
 *
 * <p>Thread-safe; blocking (it uses the store).
 */
public final class EnvironmentService {
    /** Azure's rule for asset names: letters, digits, '-', '_' and '.', starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,29}");
    /** An image reference as engines take it: no spaces or shell characters, at most 512 characters. */
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][A-Za-z0-9._:/@+-]{0,511}");
    /** The forms a job may name an environment version in, for the message that refuses another. */
    static final String FORMS = "azureml:<name>:<version>, azureml:<name>@latest, <name> (its latest version), or"
            + " the version's ARM id (.../workspaces/<ws>/environments/<name>/versions/<version>)";

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;
    private final CuratedEnvironments curated;

    public EnvironmentService(Store store, AccessPolicy access, Clock clock, CuratedEnvironments curated) {
        this.store = store;
        this.access = access;
        this.clock = clock;
        this.curated = curated;
    }

    /** A version as recorded, and whether this call recorded it (201) or found it recorded (200). */
    public record Put(EnvironmentVersion version, boolean created) {
    }

    /** Refuses a caller who may not write environments; routes call it before they read the body. */
    public void requireWrite(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.ENVIRONMENT_WRITE, name);
    }

    /**
     * Records the version. {@code build} or a conda file without an image: 400 {@code EnvironmentBuildUnsupported};
     * no image: {@code EnvironmentImageRequired}; the version recorded with another image: 409
     * {@code EnvironmentVersionExists}.
     *
     * @param buildAsked whether the request carried a build context or a conda file
     */
    public Put put(User caller, Workspace workspace, String name, String version, String image, String description,
                   Map<String, String> tags, boolean anonymous, boolean buildAsked) {
        require(caller, workspace, Action.ENVIRONMENT_WRITE, name);
        checkName(name, version);
        refuseCurated(name, "changed");
        if (CuratedEnvironments.isAzureCurated(name)) {
            throw ApiException.badRequest("InvalidEnvironmentName", "Environment names starting with 'AzureML-' are"
                    + " reserved for Azure's curated environments, as in Azure; choose another name.", "name");
        }
        if (image == null || image.isBlank()) {
            throw buildAsked ? ApiException.badRequest("EnvironmentBuildUnsupported", "Hangar runs container images"
                    + " and builds none: give the environment an 'image' (built and pushed, or imported into the"
                    + " engine, beforehand) instead of a build context or a conda file.", "properties.build")
                    : ApiException.badRequest("EnvironmentImageRequired", "An environment version needs the"
                    + " container image its jobs run in: properties.image.", "properties.image");
        }
        var reference = image.strip();
        if (!IMAGE.matcher(reference).matches()) {
            throw ApiException.badRequest("InvalidEnvironmentImage", "'" + image + "' is not a container image"
                    + " reference (e.g. docker.io/library/python:3.12, or localhost/my-image:1).", "properties.image");
        }
        var wanted = new EnvironmentVersion(workspace.id(), name, version, reference, description, tags, anonymous,
                caller.ref(), clock.instant());
        try {
            return store.inTransaction(tx -> {
                var existing = tx.findEnvironment(workspace.id(), name, version);
                if (existing.isPresent()) {
                    if (!existing.get().sameAs(wanted)) {
                        throw ApiException.conflict("EnvironmentVersionExists", "Environment '" + name + "' version "
                                + version + " exists with image " + existing.get().image() + "; a version never"
                                + " changes. Record the new image as a new version.");
                    }
                    return new Put(existing.get(), false);
                }
                return new Put(tx.insertEnvironment(wanted), true);
            });
        } catch (ConcurrentUpdateException e) {
            // Recorded by a concurrent call: the answer is what it recorded.
            var recorded = get(caller, workspace, name, version);
            if (!recorded.sameAs(wanted)) {
                throw ApiException.conflict("EnvironmentVersionExists", "Environment '" + name + "' version "
                        + version + " was recorded meanwhile with image " + recorded.image() + ".");
            }
            return new Put(recorded, false);
        }
    }

    public EnvironmentVersion get(User caller, Workspace workspace, String name, String version) {
        require(caller, workspace, Action.ENVIRONMENT_READ, name);
        return curated.find(workspace, name, version)
                .or(() -> curated.isCurated(name) ? Optional.empty()
                        : store.read(tx -> tx.findEnvironment(workspace.id(), name, version)))
                .orElseThrow(() -> ApiException.notFound("Environment '" + name + "' version " + version
                        + " was not found in workspace '" + workspace.name() + "'."));
    }

    /** The versions of an environment, newest first; 404 when it has none. */
    public List<EnvironmentVersion> versions(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.ENVIRONMENT_READ, name);
        var versions = curated.isCurated(name) ? curated.versions(workspace, name)
                : store.read(tx -> tx.environmentVersions(workspace.id(), name));
        if (versions.isEmpty()) {
            throw ApiException.notFound("Environment '" + name + "' was not found in workspace '" + workspace.name()
                    + "'.");
        }
        return versions;
    }

    /** The latest version of each environment of the workspace: Hangar's curated ones first, then its own by name. */
    public List<EnvironmentVersion> latest(User caller, Workspace workspace) {
        require(caller, workspace, Action.ENVIRONMENT_READ, null);
        var own = store.read(tx -> tx.latestEnvironmentVersions(workspace.id())).stream()
                .filter(version -> !curated.isCurated(version.name()));
        return Stream.concat(curated.latest(workspace).stream(), own).toList();
    }

    /** Whether {@code name} is one of Hangar's curated environments, which are read-only. */
    public boolean isCurated(String name) {
        return curated.isCurated(name);
    }

    /**
     * Refuses to delete an environment or a version of it: a curated one is read-only (409
     * {@code CuratedEnvironmentReadOnly}); the workspace's own are kept, as Azure keeps them (400
     * {@code EnvironmentDeleteUnsupported}); 404 when there is no such environment.
     *
     * @param version null for the whole environment
     */
    public void delete(User caller, Workspace workspace, String name, String version) {
        require(caller, workspace, Action.ENVIRONMENT_DELETE, name);
        refuseCurated(name, "deleted");
        if (version == null) {
            versions(caller, workspace, name);
        } else {
            get(caller, workspace, name, version);
        }
        throw ApiException.badRequest("EnvironmentDeleteUnsupported", "Environment versions are kept once recorded,"
                + " as Azure keeps them: jobs name them. Record a new version instead.", "name");
    }

    private void refuseCurated(String name, String what) {
        if (curated.isCurated(name)) {
            throw ApiException.conflict("CuratedEnvironmentReadOnly", "Environment '" + name + "' is curated by"
                    + " Hangar (the compute's own environment) and cannot be " + what + ". Record your own"
                    + " environment under another name.");
        }
    }

    /**
     * The version a job's {@code environmentId} names, read in the job's transaction, in any of {@link #FORMS}; a
     * curated one by its name too. 400 {@code AzureCuratedEnvironmentUnsupported} for one of Azure's curated
     * environments (naming Hangar's), {@code InvalidEnvironmentId} when it is none of the forms,
     * {@code EnvironmentNotFound} when the workspace has no such version.
     */
    public static EnvironmentVersion resolve(Transaction tx, Workspace workspace, String environmentId,
                                             CuratedEnvironments curated) {
        if (CuratedEnvironments.isAzureCurated(environmentId)) {
            throw ApiException.badRequest("AzureCuratedEnvironmentUnsupported", "'" + environmentId + "' is one of"
                    + " Azure's curated environments, whose packages Hangar's computes do not have. Hangar's curated"
                    + " environments: " + curated.listed() + ". Or record an environment with the image you need"
                    + " (hangar environment create) and name it.", "properties.environmentId");
        }
        var reference = Reference.parse(environmentId).orElseThrow(() -> ApiException.badRequest(
                "InvalidEnvironmentId", "'" + environmentId + "' names no environment version: use " + FORMS + ".",
                "properties.environmentId"));
        Optional<EnvironmentVersion> found;
        if (curated.isCurated(reference.name())) {
            found = reference.version() == null ? curated.versions(workspace, reference.name()).stream().findFirst()
                    : curated.find(workspace, reference.name(), reference.version());
        } else {
            found = reference.version() == null ? tx.environmentVersions(workspace.id(), reference.name()).stream()
                    .findFirst() : tx.findEnvironment(workspace.id(), reference.name(), reference.version());
        }
        return found.orElseThrow(() -> ApiException.badRequest("EnvironmentNotFound", "Environment '"
                + reference.name() + "'" + (reference.version() == null ? " has no version"
                : " version " + reference.version() + " was not found") + " in workspace '" + workspace.name()
                + "'. Create it first (hangar environment create), or name one of Hangar's curated environments: "
                + curated.listed() + ".", "properties.environmentId"));
    }

    /** An environment version as a job names it; {@code version} null for the latest. */
    public record Reference(String name, String version) {
        /** The reference {@code id} makes in one of {@link #FORMS}; empty when it is none of them. */
        public static Optional<Reference> parse(String id) {
            if (id == null || id.isBlank()) {
                return Optional.empty();
            }
            var text = id.strip();
            var arm = text.toLowerCase(Locale.ROOT).lastIndexOf("/environments/");
            if (arm >= 0) {
                var parts = text.substring(arm + "/environments/".length()).split("/", -1);
                return parts.length == 3 && parts[1].equalsIgnoreCase("versions")
                        ? of(parts[0], parts[2]) : Optional.empty();
            }
            var prefixed = text.startsWith("azureml:");
            var rest = prefixed ? text.substring("azureml:".length()) : text;
            if (rest.endsWith("@latest")) {
                return of(rest.substring(0, rest.length() - "@latest".length()), null);
            }
            var colon = rest.lastIndexOf(':');
            if (colon < 0) {
                return of(rest, null);
            }
            // name:version only with az's prefix: without it, it is likely an image (python:3.12).
            return prefixed ? of(rest.substring(0, colon), rest.substring(colon + 1)) : Optional.empty();
        }

        private static Optional<Reference> of(String name, String version) {
            return NAME.matcher(name).matches() && (version == null || VERSION.matcher(version).matches())
                    ? Optional.of(new Reference(name, version)) : Optional.empty();
        }
    }

    /** The ARM id of a version, as a job's {@code environmentId} shows it. */
    public static String armId(Workspace workspace, EnvironmentVersion version) {
        return workspace.armId() + "/environments/" + version.name() + "/versions/" + version.version();
    }

    private static void checkName(String name, String version) {
        if (name == null || !NAME.matcher(name).matches() || DeviceNames.isReserved(name)) {
            throw ApiException.badRequest("InvalidEnvironmentName", "Environment name '" + name + "' is invalid:"
                    + " use letters, digits, '-', '_' and '.', starting with a letter or digit, and not a device name"
                    + " such as CON or NUL.", "name");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw ApiException.badRequest("InvalidEnvironmentVersion", "Environment version '" + version + "' is"
                    + " invalid: use up to 30 letters, digits, '-', '_' and '.'.", "version");
        }
    }

    private void require(User caller, Workspace workspace, Action action, String name) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action, workspace.armId() + "/environments"
                    + (name == null ? "" : "/" + name));
            return null;
        });
    }
}

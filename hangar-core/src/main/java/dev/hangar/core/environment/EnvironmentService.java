package dev.hangar.core.environment;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
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

/**
 * Environments: named, versioned container images that jobs run in. Hangar runs the images it is given and builds
 * none, so a version is an image reference; a version is immutable once recorded (the same image again is a client's
 * retry). Each call checks the caller's action in the workspace.
 *
 * <p>Thread-safe; blocking (it uses the store).
 */
public final class EnvironmentService {
    /** Azure's rule for asset names: letters, digits, '-', '_' and '.', starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,29}");
    /** An image reference as engines take it: no spaces or shell characters, at most 512 characters. */
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][A-Za-z0-9._:/@+-]{0,511}");

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;

    public EnvironmentService(Store store, AccessPolicy access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
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
        return store.read(tx -> tx.findEnvironment(workspace.id(), name, version)).orElseThrow(() ->
                ApiException.notFound("Environment '" + name + "' version " + version + " was not found in workspace '"
                        + workspace.name() + "'."));
    }

    /** The versions of an environment, newest first; 404 when it has none. */
    public List<EnvironmentVersion> versions(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.ENVIRONMENT_READ, name);
        var versions = store.read(tx -> tx.environmentVersions(workspace.id(), name));
        if (versions.isEmpty()) {
            throw ApiException.notFound("Environment '" + name + "' was not found in workspace '" + workspace.name()
                    + "'.");
        }
        return versions;
    }

    /**
     * The version a job's {@code environmentId} names, read in the job's transaction: the version's ARM id,
     * {@code azureml:<name>:<version>} or {@code azureml:<name>@latest}. 400 {@code InvalidEnvironmentId} when it is
     * none of those, {@code EnvironmentNotFound} when the workspace has no such version.
     */
    public static EnvironmentVersion resolve(Transaction tx, Workspace workspace, String environmentId) {
        var reference = Reference.parse(environmentId).orElseThrow(() -> ApiException.badRequest(
                "InvalidEnvironmentId", "'" + environmentId + "' names no environment version: use"
                        + " azureml:<name>:<version>, azureml:<name>@latest, or the version's ARM id.",
                "properties.environmentId"));
        var found = reference.version() == null ? tx.environmentVersions(workspace.id(), reference.name()).stream()
                .findFirst() : tx.findEnvironment(workspace.id(), reference.name(), reference.version());
        return found.orElseThrow(() -> ApiException.badRequest("EnvironmentNotFound", "Environment '"
                + reference.name() + "'" + (reference.version() == null ? " has no version"
                : " version " + reference.version() + " was not found") + " in workspace '" + workspace.name()
                + "'. Create it first (hangar environment create).", "properties.environmentId"));
    }

    /** An environment version as a job names it; {@code version} null for the latest. */
    public record Reference(String name, String version) {
        public static Optional<Reference> parse(String id) {
            if (id == null || id.isBlank()) {
                return Optional.empty();
            }
            var text = id.strip();
            var arm = text.toLowerCase(Locale.ROOT).indexOf("/environments/");
            if (arm >= 0) {
                var parts = text.substring(arm + "/environments/".length()).split("/");
                return parts.length == 3 && parts[1].equalsIgnoreCase("versions")
                        ? Optional.of(new Reference(parts[0], parts[2])) : Optional.empty();
            }
            if (!text.startsWith("azureml:")) {
                return Optional.empty();
            }
            var rest = text.substring("azureml:".length());
            if (rest.endsWith("@latest")) {
                var name = rest.substring(0, rest.length() - "@latest".length());
                return NAME.matcher(name).matches() ? Optional.of(new Reference(name, null)) : Optional.empty();
            }
            var colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Reference(rest.substring(0, colon), rest.substring(colon + 1)));
        }
    }

    /** The ARM id of a version, as a job's {@code environmentId} shows it. */
    public static String armId(Workspace workspace, EnvironmentVersion version) {
        return workspace.armId() + "/environments/" + version.name() + "/versions/" + version.version();
    }

    private static void checkName(String name, String version) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("InvalidEnvironmentName", "Environment name '" + name + "' is invalid:"
                    + " use letters, digits, '-', '_' and '.', starting with a letter or digit.", "name");
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

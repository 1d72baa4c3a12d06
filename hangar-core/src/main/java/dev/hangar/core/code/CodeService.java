package dev.hangar.core.code;

import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Code snapshots: the folders jobs run, uploaded once as a tar.gz and kept, content-addressed, in
 * {@code <root>/<digest>.tar.gz}. An upload is checked entry by entry (only files, only paths inside the folder,
 * within {@link Tarballs#CODE_LIMITS}) and kept only when its files have the digest it claims; then the workspace records it.
 * The same files from another workspace share the archive, but each workspace records only what it was sent.
 *
 * <p>Thread-safe; blocking (it uses the store and the disk).
 */
public final class CodeService {
    /** The one version a snapshot has: its name is its content, so it never changes. */
    public static final String VERSION = "1";

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;
    private final Path root;

    public CodeService(Store store, AccessPolicy access, Clock clock, Path root) {
        this.store = store;
        this.access = access;
        this.clock = clock;
        this.root = root;
    }

    /** A snapshot as uploaded, and whether this upload recorded it (201) or found it recorded (200). */
    public record Uploaded(CodeSnapshot snapshot, boolean created) {
    }

    /** Refuses a caller who may not upload code; routes call it before they read the body. */
    public void requireUpload(User caller, Workspace workspace) {
        require(caller, workspace, Action.CODE_WRITE, null);
    }

    /**
     * Checks the tar or tar.gz in {@code archive} and keeps it as the workspace's snapshot {@code digest}: 400
     * {@code CodeDigestMismatch} when its files have another digest, 413 {@code CodeTooLarge} beyond {@link Tarballs#CODE_LIMITS},
     * 400 {@code InvalidCode} for anything that is not plain files in a folder.
     */
    public Uploaded upload(User caller, Workspace workspace, String digest, String version, InputStream archive) {
        require(caller, workspace, Action.CODE_WRITE, digest);
        checkName(digest, version);
        var checked = root.resolve(".upload-" + UUID.randomUUID() + ".tar.gz");
        try {
            Files.createDirectories(root);
            Tarballs.Listing listing;
            try (var out = Files.newOutputStream(checked)) {
                listing = Tarballs.normalize(archive, out, Tarballs.CODE_LIMITS, Tarballs.Others.REFUSE);
            } catch (TarballException e) {
                throw refusal(e);
            }
            if (!listing.digest().equals(digest)) {
                throw ApiException.badRequest("CodeDigestMismatch", "The files sent have the digest "
                        + listing.digest() + ", not " + digest + ": a snapshot is named by the digest of its files"
                        + " (see docs/jobs.md). Send it under its own digest.", "name");
            }
            var kept = archive(digest);
            if (!Files.exists(kept)) {
                Files.move(checked, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            var snapshot = new CodeSnapshot(workspace.id(), digest, listing.files(), listing.bytes(), caller.ref(),
                    clock.instant());
            try {
                return store.inTransaction(tx -> tx.findCode(workspace.id(), digest)
                        .map(found -> new Uploaded(found, false))
                        .orElseGet(() -> new Uploaded(tx.insertCode(snapshot), true)));
            } catch (ConcurrentUpdateException e) {
                // Recorded by a request that sent the same files meanwhile.
                return new Uploaded(store.read(tx -> tx.findCode(workspace.id(), digest)).orElseThrow(), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep code snapshot " + digest, e);
        } finally {
            try {
                Files.deleteIfExists(checked);
            } catch (IOException e) {
                // a stray upload file in the codes folder; the next upload of it replaces nothing
            }
        }
    }

    /** The workspace's snapshot {@code digest}, or 404 {@code CodeNotFound}. */
    public CodeSnapshot get(User caller, Workspace workspace, String digest, String version) {
        require(caller, workspace, Action.CODE_READ, digest);
        return find(workspace, digest, version).orElseThrow(() -> notFound(workspace, digest));
    }

    private Optional<CodeSnapshot> find(Workspace workspace, String digest, String version) {
        if (!Tarballs.isDigest(digest) || !VERSION.equals(version)) {
            return Optional.empty();
        }
        return store.read(tx -> tx.findCode(workspace.id(), digest));
    }

    /** Where the snapshot's checked tar.gz is kept. */
    public Path archive(String digest) {
        if (!Tarballs.isDigest(digest)) {
            throw new IllegalArgumentException("Not a snapshot digest: " + digest);
        }
        return root.resolve(digest + ".tar.gz");
    }

    public static String armId(Workspace workspace, String digest) {
        return workspace.armId() + "/codes/" + digest + "/versions/" + VERSION;
    }

    /** A code reference as Azure's clients write it: an ARM id, {@code azureml:<name>:<version>}, or a digest. */
    public record Reference(String digest, String version) {
        /** Null when {@code codeId} is none of the accepted forms. */
        public static Reference parse(String codeId) {
            if (codeId == null || codeId.isBlank()) {
                return null;
            }
            var id = codeId.strip();
            if (id.startsWith("azureml:")) {
                id = id.substring("azureml:".length());
            }
            var lower = id.toLowerCase(Locale.ROOT);
            var codes = lower.lastIndexOf("/codes/");
            if (codes >= 0) {
                var parts = id.substring(codes + "/codes/".length()).split("/");
                return parts.length == 3 && parts[1].equalsIgnoreCase("versions")
                        ? new Reference(parts[0].toLowerCase(Locale.ROOT), parts[2]) : null;
            }
            var colon = id.indexOf(':');
            if (colon >= 0) {
                return new Reference(id.substring(0, colon).toLowerCase(Locale.ROOT), id.substring(colon + 1));
            }
            return id.contains("/") ? null : new Reference(lower, VERSION);
        }
    }

    private static void checkName(String digest, String version) {
        if (!Tarballs.isDigest(digest)) {
            throw ApiException.badRequest("InvalidCodeName", "A code snapshot is named by the SHA-256 digest of its"
                    + " files (64 lower-case hexadecimal digits), not '" + digest + "'.", "name");
        }
        if (!VERSION.equals(version)) {
            throw ApiException.badRequest("InvalidCodeVersion", "A code snapshot has one version, '" + VERSION
                    + "', not '" + version + "'.", "version");
        }
    }

    /**
     * What a folder or an archive that cannot be a snapshot is refused with: 413 {@code CodeTooLarge} beyond
     * {@link Tarballs#CODE_LIMITS}, 400 {@code InvalidCode} otherwise.
     */
    public static ApiException refusal(TarballException e) {
        if (TarballException.TOO_LARGE.equals(e.code())) {
            return ApiException.tooLarge("CodeTooLarge", "The code is too large. " + e.getMessage() + " Leave data"
                    + " and environments out of the code folder (.amlignore or .gitignore).", null);
        }
        return ApiException.badRequest("InvalidCode", "The code cannot be taken: " + e.getMessage(), null);
    }

    private static ApiException notFound(Workspace workspace, String digest) {
        return ApiException.notFound("CodeNotFound", "Code snapshot '" + digest + "' was not found in workspace '"
                + workspace.name() + "'.");
    }

    private void require(User caller, Workspace workspace, Action action, String digest) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action,
                    workspace.armId() + "/codes" + (digest == null ? "" : "/" + digest));
            return null;
        });
    }
}

package dev.hangar.client;

import dev.hangar.api.CodeVersionResource;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.archive.IgnoreFile;
import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The code snapshots of one workspace ({@code workspaces/{ws}/codes}): a folder is uploaded once, named by the digest
 * of its files, so uploading an unchanged folder again sends nothing. Obtained from {@link HangarClient#codes}.
 * Thread-safe; every method blocks.
 */
public final class CodeClient {
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final Transport transport;
    private final String path;

    CodeClient(Transport transport, WorkspaceRef workspace) {
        this.transport = transport;
        this.path = ArmIds.workspacePath(Objects.requireNonNull(workspace, "workspace")) + "/codes";
    }

    /** A folder as uploaded: the snapshot, what was left out and by which file, and whether its bytes were sent. */
    public record Upload(CodeVersionResource code, Tarballs.Listing listing, String ignoreFile, boolean sent) {
    }

    /**
     * Uploads {@code folder} (without what its {@code .amlignore} or {@code .gitignore} leaves out) unless the
     * workspace has its files already. Throws {@link HangarException} with code {@code CodeTooLarge},
     * {@code InvalidCode} or {@code NotAFolder} before sending anything when the folder cannot be a snapshot.
     */
    public Upload upload(Path folder) {
        var ignore = IgnoreFile.of(folder);
        Tarballs.Listing listing;
        try {
            listing = Tarballs.scan(folder, ignore, Tarballs.CODE_LIMITS);
        } catch (TarballException e) {
            throw refused(e, folder);
        }
        var version = path + "/" + listing.digest() + "/versions/1";
        try {
            var known = transport.read(transport.send("GET", transport.uri(version, null), null),
                    CodeVersionResource.class);
            return new Upload(known, listing, ignore.source(), false);
        } catch (HangarException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        Path archive = null;
        try {
            archive = Files.createTempFile("hangar-code-", ".tar.gz");
            try (var out = Files.newOutputStream(archive)) {
                Tarballs.pack(folder, listing, out);
            } catch (TarballException e) {
                throw refused(e, folder);
            }
            var reply = transport.sendFile("PUT", transport.uri(version + "/snapshot", null), archive,
                    "application/gzip", UPLOAD_TIMEOUT);
            return new Upload(transport.read(reply, CodeVersionResource.class), listing, ignore.source(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack " + folder, e);
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    public CodeVersionResource get(String digest) {
        return transport.read(transport.send("GET", transport.uri(path + "/" + ArmIds.segment(digest)
                + "/versions/1", null), null), CodeVersionResource.class);
    }

    private static HangarException refused(TarballException e, Path folder) {
        var code = switch (e.code()) {
            case TarballException.TOO_LARGE -> "CodeTooLarge";
            case TarballException.NOT_A_FOLDER -> "NotAFolder";
            default -> "InvalidCode";
        };
        var hint = TarballException.TOO_LARGE.equals(e.code())
                ? " Leave data and environments out with an .amlignore or .gitignore in " + folder + "." : "";
        return HangarException.of(HangarException.Kind.INVALID_INPUT, code, e.getMessage() + hint, "PUT", null, e);
    }
}

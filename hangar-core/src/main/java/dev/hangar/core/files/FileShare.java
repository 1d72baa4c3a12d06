package dev.hangar.core.files;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A workspace's file share: a tree of files on disk, {@code <root>/<workspace id>/}, with {@code Users/<user>/} for
 * each user's own files and {@code Logs/<instance>/} for what Hangar writes of an instance (its setup scripts' logs).
 * Members read it all ({@code .../notebooks/storage/read}); a user writes and deletes
 * ({@code .../notebooks/storage/write}, {@code /delete}) only under {@code Users/<their name>/}, an administrator
 * anywhere.
 *
 * <p>Paths are confined twice: by their text ({@link FilePath}: no {@code ..}, no absolute path) and on disk, where no
 * symbolic link along a path is ever followed (an instance that mounts the share may make links in it). A file is
 * written whole or not at all: it arrives beside the tree and is moved into place.
 *
 * <p>Thread-safe; blocking (it uses the store and the disk).
 */
public final class FileShare {
    /** The folder of each user's own files. */
    public static final String USERS = "Users";
    /** The folder of what Hangar writes of each instance. */
    public static final String LOGS = "Logs";

    private final Store store;
    private final AccessPolicy access;
    private final ShareDisk disk;

    /** A file or folder of the share, as a listing shows it; {@code size} is 0 for a folder. */
    public record Entry(String path, String name, boolean folder, long size, Instant modifiedOn) {
    }

    /** A file as written, and whether it is new (201) or replaced one (200). */
    public record Written(Entry entry, boolean created) {
    }

    public FileShare(Store store, AccessPolicy access, ShareDisk disk) {
        this.store = store;
        this.access = access;
        this.disk = disk;
    }

    /** The share's folder on disk; made when missing. */
    public Path folder(Workspace workspace) {
        return disk.folder(workspace.id());
    }

    /**
     * What {@code path} is: a folder's entries, sorted by name, or the file itself (a one-entry list); 404
     * {@code FileNotFound} when there is nothing there.
     */
    public List<Entry> list(User caller, Workspace workspace, String text) {
        var path = require(caller, workspace, Action.FILES_READ, text);
        var target = existing(workspace, path);
        var attributes = attributes(target);
        if (!attributes.isDirectory()) {
            return List.of(entry(path, attributes));
        }
        var entries = new ArrayList<Entry>();
        try (var children = Files.list(target)) {
            for (var child : children.sorted(Comparator.comparing(Path::getFileName)).toList()) {
                var childAttributes = attributes(child);
                if (childAttributes.isDirectory() || childAttributes.isRegularFile()) {
                    entries.add(entry(path.child(child.getFileName().toString()), childAttributes));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + target, e);
        }
        return entries;
    }

    /** Whether {@code path} is a folder; 404 {@code FileNotFound} when there is nothing there. */
    public boolean isFolder(User caller, Workspace workspace, String text) {
        var path = require(caller, workspace, Action.FILES_READ, text);
        return attributes(existing(workspace, path)).isDirectory();
    }

    /** The file at {@code path}, to be read; 404 {@code FileNotFound}, 400 {@code FileIsAFolder}. */
    public Path file(User caller, Workspace workspace, String text) {
        var path = require(caller, workspace, Action.FILES_READ, text);
        var target = existing(workspace, path);
        if (!attributes(target).isRegularFile()) {
            throw ApiException.badRequest("FileIsAFolder", "'" + path + "' is a folder: list it, or ask for a file in"
                    + " it.", "path");
        }
        return target;
    }

    /** Refuses, before a body is read, a caller who may not write {@code text}; returns the path it names. */
    public FilePath requireWrite(User caller, Workspace workspace, String text) {
        var path = require(caller, workspace, Action.FILES_WRITE, text);
        requireOwn(caller, path, "write");
        return path;
    }

    /**
     * Moves {@code received} (a file on the same disk, which this takes) to {@code path}, making its folders, replacing
     * a file there: 409 {@code FileIsAFolder} when a folder is there, 409 {@code FolderIsAFile} when a file stands where
     * one of its folders would.
     */
    public Written write(User caller, Workspace workspace, String text, Path received) {
        var path = requireWrite(caller, workspace, text);
        if (path.isRoot()) {
            throw ApiException.badRequest("InvalidFilePath", "A file needs a name.", "path");
        }
        var target = folders(workspace, path, path.segments().size() - 1).resolve(path.name());
        if (Files.isSymbolicLink(target)) {
            throw linked(path);
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ApiException.conflict("FileIsAFolder", "'" + path + "' is a folder; a file cannot replace it.");
        }
        var created = !Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        disk.own(received, target);
        try {
            Files.move(received, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
        return new Written(entry(path, attributes(target)), created);
    }

    /**
     * Makes the folder {@code name} in the folder {@code parent}, and any folder on the way that is missing; a folder
     * already there is left as it is ({@code created} false). Refused (403) like a write before the name is looked
     * at; 400 {@code InvalidFilePath} for a name that is none (or holds a {@code /}), 409 {@code FolderIsAFile} when
     * a file stands where a folder would.
     */
    public Written makeFolder(User caller, Workspace workspace, String parent, String name) {
        var folder = require(caller, workspace, Action.FILES_WRITE, parent);
        if (name == null || name.isBlank() || name.contains("/")) {
            throw ApiException.badRequest("InvalidFilePath", "A new folder needs a name without '/'.", "name");
        }
        var path = requireWrite(caller, workspace, folder.child(name.strip()).toString());
        var existed = Files.isDirectory(folders(workspace, path, path.segments().size() - 1).resolve(path.name()),
                LinkOption.NOFOLLOW_LINKS);
        var made = folders(workspace, path, path.segments().size());
        return new Written(entry(path, attributes(made)), !existed);
    }

    /**
     * Refuses a caller who may not delete {@code text}, before anything else is read, and the root (400); returns the
     * path it names.
     */
    public FilePath requireDelete(User caller, Workspace workspace, String text) {
        var path = require(caller, workspace, Action.FILES_DELETE, text);
        requireOwn(caller, path, "delete");
        if (path.isRoot()) {
            throw ApiException.badRequest("InvalidFilePath", "The share's root is never deleted.", "path");
        }
        return path;
    }

    /** Which of the share's actions the caller's roles grant in the workspace (not yet where: {@link #mayChange}). */
    public Rights rights(User caller, Workspace workspace) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            return new Rights(grants.allows(Action.FILES_READ), grants.allows(Action.FILES_WRITE),
                    grants.allows(Action.FILES_DELETE));
        });
    }

    /** What a caller's roles let them do with the share. */
    public record Rights(boolean read, boolean write, boolean delete) {
    }

    /**
     * Whether the owner rule lets {@code caller} write or delete at {@code path}: inside their own folder
     * ({@code Users/<name>/}, not the folder itself), or, for an administrator, anywhere but the root.
     */
    public static boolean mayChange(User caller, FilePath path) {
        return !path.isRoot() && (caller.admin() || path.within(own(caller)) && !path.equals(own(caller)));
    }

    /**
     * Deletes the file or folder at {@code path}; a folder with anything in it only when {@code recursive} (409
     * {@code FolderNotEmpty} otherwise). 404 {@code FileNotFound} when there is nothing there.
     */
    public void delete(User caller, Workspace workspace, String text, boolean recursive) {
        var path = requireDelete(caller, workspace, text);
        var target = existing(workspace, path);
        try {
            if (recursive && attributes(target).isDirectory()) {
                // Links inside are removed as links: walk does not follow them.
                try (var all = Files.walk(target)) {
                    for (var each : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(each);
                    }
                }
            } else {
                Files.delete(target);
            }
        } catch (DirectoryNotEmptyException e) {
            throw ApiException.conflict("FolderNotEmpty", "'" + path + "' is a folder with files in it; delete it with"
                    + " recursive=true to delete them too.");
        } catch (NoSuchFileException e) {
            throw notFound(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + target, e);
        }
    }

    /**
     * The folder of the first {@code count} segments of {@code path}, each made when missing and none followed when a
     * link: 409 {@code FolderIsAFile} when a file stands where one of them would be.
     */
    private Path folders(Workspace workspace, FilePath path, int count) {
        var share = folder(workspace);
        var target = share;
        for (var segment : path.segments().subList(0, count)) {
            target = target.resolve(segment);
            if (Files.isSymbolicLink(target)) {
                throw linked(path);
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw ApiException.conflict("FolderIsAFile", "'" + path + "' cannot be written: '" + share.relativize(
                        target) + "' is a file, not a folder.");
            }
            if (!disk.makeFolder(target)) {
                // Something else took the name since it was looked at: a link is never followed.
                throw linked(path);
            }
        }
        return target;
    }

    /** The path on disk of something that is there, reached without following a link. */
    private Path existing(Workspace workspace, FilePath path) {
        var target = folder(workspace);
        for (var segment : path.segments()) {
            target = target.resolve(segment);
            if (Files.isSymbolicLink(target)) {
                throw linked(path);
            }
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(path);
            }
        }
        return target;
    }

    /**
     * Refuses a caller without {@code action} on the share, then reads the path: one who may not call learns nothing
     * of what the share makes of it.
     */
    private FilePath require(User caller, Workspace workspace, Action action, String text) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action, workspace.armId() + "/files");
            return null;
        });
        return FilePath.of(text);
    }

    /** Only administrators write outside their own folder, {@code Users/<name>/}. */
    private static void requireOwn(User caller, FilePath path, String what) {
        var own = own(caller);
        if (!caller.admin() && (!path.within(own) || path.equals(own))) {
            throw ApiException.forbidden("AuthorizationFailed", caller.name() + " may " + what + " files only under '"
                    + own + "/'; '" + path + "' is outside it. Administrators write anywhere.");
        }
    }

    /** The caller's own folder, {@code Users/<name>}. */
    public static FilePath own(User caller) {
        return FilePath.of(USERS + "/" + caller.name());
    }

    private static Entry entry(FilePath path, BasicFileAttributes attributes) {
        return new Entry(path.toString(), path.name(), attributes.isDirectory(), attributes.isDirectory() ? 0
                : attributes.size(), attributes.lastModifiedTime().toInstant());
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    private static ApiException notFound(FilePath path) {
        return ApiException.notFound("FileNotFound", "Nothing is at '" + path + "' in the file share.");
    }

    private static ApiException linked(FilePath path) {
        return ApiException.badRequest("FilePathOutsideShare", "'" + path + "' goes through a symbolic link, which"
                + " the file share never follows.", "path");
    }
}

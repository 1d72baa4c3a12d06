package dev.hangar.core.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workspaces' file shares on Hangar's disk, {@code <root>/<workspace id>/}, with {@code Users/} and {@code Logs/}:
 * the folder a backend mounts into an instance at {@code ~/cloudfiles/code}, and the one place that makes folders and
 * files in it on Hangar's behalf. With an {@link ShareOwner owner}, everything made here is given to them (the share's
 * folders, what is uploaded, the setup scripts' logs), so that an instance's user may change it in the instance.
 * Shared by group (the host backend's accounts, each in its workspace's group), everything made here is given to the
 * group of the workspace's folder instead, writable by it, and a folder passes its group on (setgid).
 *
 * <p>Thread-safe.
 */
public final class ShareDisk {
    private final Path root;
    private final ShareOwner owner;
    private final boolean byGroup;
    /** The workspaces whose share this object made or found: looked at once, not at every instance's every call. */
    private final Set<UUID> ready = ConcurrentHashMap.newKeySet();

    /** @param owner who is given what is made here; null keeps it Hangar's own */
    public ShareDisk(Path root, ShareOwner owner) {
        this(root, owner, false);
    }

    /**
     * @param owner who is given what is made here; null keeps it Hangar's own
     * @param byGroup whether what is made here is given to the group of its workspace's folder, writable by it
     */
    public ShareDisk(Path root, ShareOwner owner, boolean byGroup) {
        this.root = root.toAbsolutePath();
        this.owner = owner;
        this.byGroup = byGroup;
    }

    /** The workspace's share, with its {@code Users/} and {@code Logs/}; made when missing. */
    public Path folder(UUID workspaceId) {
        var share = root.resolve(workspaceId.toString());
        if (!ready.contains(workspaceId)
                && !Files.isDirectory(share.resolve(FileShare.LOGS), LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make " + root, e);
            }
            for (var folder : new Path[] {share, share.resolve(FileShare.USERS), share.resolve(FileShare.LOGS)}) {
                if (!makeFolder(folder)) {
                    throw new UncheckedIOException(new FileAlreadyExistsException(folder.toString(), null,
                            "a folder of the file share is something else"));
                }
            }
        }
        ready.add(workspaceId);
        return share;
    }

    /**
     * Makes {@code folder} when it is missing and gives it to the owner; a folder that is there is left as it is. Its
     * parent must be there: a path is made one folder at a time, each checked by the caller.
     *
     * @return false when something else than a folder (a file, a link) is there
     */
    public boolean makeFolder(Path folder) {
        try {
            Files.createDirectory(folder);
            own(folder);
            return true;
        } catch (FileAlreadyExistsException e) {
            return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make " + folder, e);
        }
    }

    /**
     * The regular file at {@code path} in the workspace's share, reached without following a link; empty when
     * nothing, a folder, or a link is there (or on the way).
     */
    public Optional<Path> regularFile(UUID workspaceId, FilePath path) {
        var target = folder(workspaceId);
        for (var segment : path.segments()) {
            target = target.resolve(segment);
            if (Files.isSymbolicLink(target)) {
                return Optional.empty();
            }
        }
        return path.isRoot() || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? Optional.empty()
                : Optional.of(target);
    }

    /** Gives {@code path} (never followed when a link) to the owner, if there is one, or to its workspace's group. */
    public void own(Path path) {
        own(path, path);
    }

    /**
     * Gives {@code path}, which is about to be moved to {@code destination} in a share, as {@link #own(Path)} gives
     * what is at {@code destination}.
     */
    public void own(Path path, Path destination) {
        if (byGroup) {
            shareWithGroup(path, destination);
        }
        if (owner == null) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + path + " to " + owner.uid() + ":" + owner.gid(), e);
        }
    }

    /**
     * The group of the workspace's folder, read and write (search and setgid for a folder); a link is left alone.
     * The workspace's folder itself is closed to others, so that no instance of another workspace enters it.
     */
    private void shareWithGroup(Path path, Path destination) {
        var relative = root.relativize(destination.toAbsolutePath());
        if (relative.getNameCount() == 0 || relative.startsWith("..") || Files.isSymbolicLink(path)) {
            return;
        }
        var workspace = root.resolve(relative.getName(0));
        try {
            Files.setAttribute(path, "unix:gid", Files.getAttribute(workspace, "unix:gid", LinkOption.NOFOLLOW_LINKS),
                    LinkOption.NOFOLLOW_LINKS);
            var mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            var shared = mode | 060 | (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? 02010 : 0);
            if (relative.getNameCount() == 1) {
                shared &= ~07;
            }
            if (shared != mode) {
                Files.setAttribute(path, "unix:mode", shared, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + path + " to the group of " + workspace, e);
        }
    }
}

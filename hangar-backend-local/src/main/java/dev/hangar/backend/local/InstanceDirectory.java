package dev.hangar.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import dev.hangar.core.spi.InstanceContext;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * One instance on disk: {@code <instances>/<computeId>/home} (the user's files, kept by stop) and
 * {@code <instances>/<computeId>/run} (what runs now: the run record, app logs, Jupyter's runtime files; removed by
 * stop). The home links {@code cloudfiles/code} to the workspace's file share.
 *
 * <p>With an account of the instance's own, the home is the account's (mode 700); the instance folder and
 * {@code run/} stay Hangar's, readable by the account's group only (mode 750), so that the account reads Jupyter's
 * configuration there but can neither change the run record (whose pids Hangar ends) nor read its tokens (mode 600);
 * {@code run/jupyter-runtime} is the account's (mode 700). Shared with Hangar's account, all of it is private to
 * that account, as the run record holds app tokens.
 */
record InstanceDirectory(UUID computeId, Path root) {

    static InstanceDirectory of(Path instancesDirectory, UUID computeId) {
        return new InstanceDirectory(computeId, instancesDirectory.resolve(computeId.toString()));
    }

    Path home() {
        return root.resolve("home");
    }

    Path run() {
        return root.resolve("run");
    }

    /** Where Jupyter keeps its runtime files (its kernels' connection files with their keys): the account's. */
    Path runtime() {
        return run().resolve("jupyter-runtime");
    }

    Path log(String app) {
        return run().resolve(app + ".log");
    }

    boolean exists() {
        return Files.isDirectory(root);
    }

    /**
     * Makes the instance folder and the home, or gives them to {@code account} again (a remade account may have
     * another uid: then everything in the home is given to it, links as links).
     */
    void createHome(InstanceAccount account) {
        createPrivate(root);
        createPrivate(home());
        if (account.own()) {
            setOwner(root, 0, account.gid());
            setMode(root, "rwxr-x---");
            if (owner(home()) != account.uid()) {
                giveTree(home(), account);
            }
        }
    }

    /**
     * Links {@code ~/cloudfiles/code} to the workspace's file share (nothing for none); a link to elsewhere is made
     * anew, and a file or folder the user put there themself is left as it is. Done as the instance's account, since
     * what is in the home is theirs: a link they put on the way is then followed with their rights, never Hangar's.
     */
    void linkFileShare(Path share, InstanceAccount account) {
        if (share == null) {
            return;
        }
        var mount = InstanceContext.FILE_SHARE_MOUNT;
        var folder = mount.substring(0, mount.lastIndexOf('/'));
        InstanceAccounts.runAs(account, home(), List.of("/bin/sh", "-c", """
                mkdir -p "$2" || exit
                if [ -L "$3" ]; then
                    [ "$(readlink "$3")" = "$1" ] && exit 0
                    rm -f "$3" || exit
                elif [ -e "$3" ]; then
                    exit 0
                fi
                ln -s "$1" "$3"
                """, "link-share", share.toAbsolutePath().toString(), folder, mount));
    }

    void createRun(InstanceAccount account) {
        createPrivate(run());
        createPrivate(runtime());
        if (account.own()) {
            setOwner(run(), 0, account.gid());
            setMode(run(), "rwxr-x---");
            setOwner(runtime(), account.uid(), account.gid());
        }
    }

    private static int owner(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the owner of " + path, e);
        }
    }

    private static void setOwner(Path path, int uid, int gid) {
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + path + " to " + uid + ":" + gid, e);
        }
    }

    private static void setMode(Path path, String mode) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set the mode of " + path, e);
        }
    }

    /** Gives a tree to the account without following a link: run while none of the account's processes runs. */
    private static void giveTree(Path top, InstanceAccount account) {
        try (var all = Files.walk(top)) {
            all.forEach(path -> setOwner(path, account.uid(), account.gid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + top + " to " + account.name(), e);
        }
    }

    /** Removes the run state. Nothing of it survives a stop, so a later start never mistakes it for a live app. */
    void removeRun() {
        deleteTree(run());
    }

    void removeAll() {
        deleteTree(root);
    }

    private static void createPrivate(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
    }

    /** Deletes a tree without following symbolic links, even where its owner made a directory read-only. */
    private static void deleteTree(Path top) {
        if (!Files.exists(top)) {
            return;
        }
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + top, e);
        }
    }
}

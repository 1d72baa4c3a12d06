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
import java.util.UUID;

/**
 * One instance on disk: {@code <instances>/<computeId>/home} (the user's files, kept by stop) and
 * {@code <instances>/<computeId>/run} (what runs now: the run record, app logs, Jupyter's runtime files; removed by
 * stop). The home links {@code cloudfiles/code} to the workspace's file share. Both are private to the user Hangar
 * runs as, since the run record holds app tokens.
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

    Path log(String app) {
        return run().resolve(app + ".log");
    }

    boolean exists() {
        return Files.isDirectory(root);
    }

    void createHome() {
        createPrivate(root);
        createPrivate(home());
    }

    /**
     * Links {@code ~/cloudfiles/code} to the workspace's file share (nothing for none); a link to elsewhere is made
     * anew, and a file or folder the user put there themself is left as it is.
     */
    void linkFileShare(Path share) {
        if (share == null) {
            return;
        }
        var link = home().resolve(InstanceContext.FILE_SHARE_MOUNT);
        try {
            Files.createDirectories(link.getParent());
            if (Files.isSymbolicLink(link)) {
                if (Files.readSymbolicLink(link).equals(share.toAbsolutePath())) {
                    return;
                }
                Files.delete(link);
            } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.createSymbolicLink(link, share.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot link " + link + " to the file share " + share, e);
        }
    }

    void createRun() {
        createPrivate(run());
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

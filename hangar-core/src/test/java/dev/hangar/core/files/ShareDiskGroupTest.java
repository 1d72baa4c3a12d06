package dev.hangar.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A share given by group (the host backend's accounts): what Hangar makes is the workspace folder's group's,
 * writable by it, folders pass the group on, and the workspace's folder is closed to others. Giving a file to a group
 * takes root, as Hangar is when it shares by group.
 */
class ShareDiskGroupTest {
    private static final int USERS = 100;

    @TempDir
    Path root;

    @Test
    void whatHangarMakesIsTheWorkspaceGroupsToChangeAndClosedToOthers() throws IOException {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "runs as root");
        var disk = new ShareDisk(root, null, true);
        var share = disk.folder(UUID.randomUUID());
        assertThat(mode(share)).isEqualTo(02770);
        // What the backend does when the workspace's first instance joins its group.
        Files.setAttribute(share.resolve(FileShare.USERS), "unix:gid", USERS);
        Files.setAttribute(share, "unix:gid", USERS);

        var folder = share.resolve(FileShare.USERS).resolve("alice");
        assertThat(disk.makeFolder(folder)).isTrue();
        var received = Files.writeString(root.resolve("upload.tmp"), "uploaded");
        var target = folder.resolve("notes.txt");
        disk.own(received, target);
        Files.move(received, target);

        assertThat(gid(folder)).isEqualTo(USERS);
        assertThat(mode(folder) & 02070).isEqualTo(02070);
        assertThat(gid(target)).isEqualTo(USERS);
        assertThat(mode(target) & 060).isEqualTo(060);
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static int gid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }
}

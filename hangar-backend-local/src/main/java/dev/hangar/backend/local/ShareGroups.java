package dev.hangar.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How the instances' accounts share their workspace's file share, as every instance of a workspace does on the
 * container backend: a system group per workspace, {@code hgw-<first 12 hex digits of the workspace id>}, which each
 * instance's account of the workspace joins. The share's folder is root's and that group's, mode 2770 (no other
 * account, so no instance of another workspace, may enter it), and everything in it is the group's, writable by it,
 * each folder passing the group on (setgid); instances make files with umask 002 ({@link InstanceAccount}) and
 * Hangar gives what it makes there to the group ({@code ShareDisk}), so that any instance of the workspace may change
 * what any other or Hangar made, and none of another workspace may.
 *
 * <p>The group lives as long as the host does: it is not removed with the workspace's last instance, so that its id
 * is never given to another group while the share's files still carry it.
 */
final class ShareGroups {
    static final String PREFIX = "hgw-";
    static final Path GROUP = Path.of("/etc/group");
    static final Path GROUPADD = Path.of("/usr/sbin/groupadd");
    static final Path USERMOD = Path.of("/usr/sbin/usermod");

    private ShareGroups() {
    }

    /** The group of the workspace whose share is {@code share}: named by the share folder's name (the workspace id). */
    static String nameOf(Path share) {
        var folder = share.getFileName().toString();
        try {
            return PREFIX + UUID.fromString(folder).toString().replace("-", "").substring(0, 12);
        } catch (IllegalArgumentException notAnId) {
            try {
                var digest = MessageDigest.getInstance("SHA-256").digest(folder.getBytes(StandardCharsets.UTF_8));
                return PREFIX + HexFormat.of().formatHex(digest).substring(0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Lets the instance's own account read and write the workspace's share: the workspace's group made when missing,
     * the account made a member, the share's folder given to the group, and everything in it too the first time (or
     * after the group was made again). Nothing for Hangar's own account or no share.
     */
    static void join(InstanceAccount account, Path share) {
        if (!account.own() || share == null) {
            return;
        }
        var name = nameOf(share);
        int gid;
        synchronized (InstanceAccounts.ACCOUNT_FILES) {
            var group = find(name);
            if (group.isEmpty()) {
                InstanceAccounts.run(List.of(GROUPADD.toString(), "--system", name));
                group = find(name);
            }
            var found = group.orElseThrow(() -> new UncheckedIOException(new IOException("groupadd made no " + name)));
            if (!found.members().contains(account.name())) {
                InstanceAccounts.run(List.of(USERMOD.toString(), "--append", "--groups", name, account.name()));
            }
            gid = found.gid();
        }
        SearchPath.open(share.getParent());
        try {
            if (!Integer.valueOf(gid).equals(Files.getAttribute(share, "unix:gid", LinkOption.NOFOLLOW_LINKS))) {
                giveTree(share, gid);
            }
            Files.setAttribute(share, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(share, "unix:mode", 02770, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give the file share " + share + " to the group " + name, e);
        }
    }

    /** Everything in the share to the group, read and write, folders setgid; links are left as they are. */
    private static void giveTree(Path share, int gid) throws IOException {
        try (var all = Files.walk(share)) {
            for (var path : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                var mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                var shared = mode | 060 | (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? 02010 : 0);
                Files.setAttribute(path, "unix:mode", shared, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static Optional<Group> find(String name) {
        try {
            return Files.readAllLines(GROUP, StandardCharsets.UTF_8).stream().map(line -> line.split(":", -1))
                    .filter(fields -> fields.length >= 4 && fields[0].equals(name))
                    .map(fields -> new Group(Integer.parseInt(fields[2]), fields[3].isEmpty() ? List.of()
                            : Arrays.asList(fields[3].split(","))))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + GROUP, e);
        }
    }

    private record Group(int gid, List<String> members) {
    }
}

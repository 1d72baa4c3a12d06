package dev.hangar.backend.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Unix account an instance's processes run as: its own {@code hgr-...} account when Hangar runs as root
 * ({@link InstanceAccounts}), else Hangar's own account, which every instance then shares.
 *
 * @param name the account's name, what {@code id -un} says in the instance
 * @param uid its user id
 * @param gid its primary group id
 * @param own whether it is the instance's own account (not Hangar's): commands then switch to it at exec
 */
record InstanceAccount(String name, int uid, int gid, boolean own) {
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    InstanceAccount {
        Objects.requireNonNull(name, "name");
    }

    /**
     * {@code command} as this account: prefixed with util-linux's {@code setpriv}, which takes the account's uid, gid
     * and groups (and so drops root's capabilities), and a shell that sets the umask to 002 (so that what the instance
     * makes in its workspace's share is its group's to change, see {@link ShareGroups}; its home is its own, mode
     * 700) and then execs the command with the environment it was given, so the process keeps its pid (the one Hangar
     * records and ends). Hangar's own account runs it as it is.
     */
    List<String> command(List<String> command) {
        if (!own) {
            return command;
        }
        var switched = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + uid, "--regid=" + gid,
                "--init-groups", "--", "/bin/sh", "-c", "umask 002 && exec \"$@\"", "sh"));
        switched.addAll(command);
        return switched;
    }
}

package dev.hangar.core.files;

/**
 * The host user and group that instances' user is on Hangar's host, when it is another user than Hangar's own: a
 * container's {@code azureuser} (uid and gid 1000) under a rootful engine. What Hangar makes in a file share is given to
 * them, so that the instance's user may change what Hangar wrote.
 */
public record ShareOwner(int uid, int gid) {
    public ShareOwner {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("A share owner's uid and gid are never negative: " + uid + ":" + gid);
        }
    }
}

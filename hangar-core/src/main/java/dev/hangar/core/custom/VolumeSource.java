package dev.hangar.core.custom;

import java.util.Arrays;
import java.util.Optional;

/**
 * The folders of an instance a custom service may see, named as the instance names them. No other path is taken:
 * a path on the host would let whoever may create an instance read the host, and a folder inside one of these could
 * be swapped for a link (by anyone who uses the instance) that the engine would follow on the host at the next start.
 * Each of these is a mount point Hangar made, which no one inside the instance can replace.
 */
public enum VolumeSource {
    /** The instance user's home ({@code /home/azureuser}), all of it. */
    HOME(CustomServiceRules.HOME),
    /** The workspace's file share, as the instance has it at {@code ~/cloudfiles/code}. */
    FILE_SHARE(CustomServiceRules.HOME + "/cloudfiles/code"),
    /** Azure's {@code ~/cloudfiles}: the service gets the file share at {@code <target>/code}, as on Azure. */
    CLOUD_FILES(CustomServiceRules.HOME + "/cloudfiles");

    private final String path;

    VolumeSource(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The source {@code text} names, a trailing slash aside; empty for any other path. */
    public static Optional<VolumeSource> of(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var trimmed = text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        return Arrays.stream(values()).filter(source -> source.path.equals(trimmed)).findFirst();
    }
}

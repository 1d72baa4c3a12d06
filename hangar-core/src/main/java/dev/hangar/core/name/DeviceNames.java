package dev.hangar.core.name;

import java.util.Locale;
import java.util.Set;

/**
 * Windows' reserved device names (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9, with or without an extension):
 * names Azure refuses for its resources, and that no folder or file on a Windows client, where a job's outputs or a
 * workspace's files may be downloaded, can carry.
 */
public final class DeviceNames {
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4",
            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
            "LPT9");

    private DeviceNames() {
    }

    /** Whether {@code name} (any case, any extension) is a device name. */
    public static boolean isReserved(String name) {
        if (name == null) {
            return false;
        }
        var dot = name.indexOf('.');
        var stem = (dot < 0 ? name : name.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
        return RESERVED.contains(stem);
    }
}

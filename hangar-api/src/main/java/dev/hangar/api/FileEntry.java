package dev.hangar.api;

import java.time.Instant;

/**
 * A file or folder of a workspace's file share, as {@code GET .../files/{path}} lists it: {@code path} from the
 * share's root, {@code type} {@code File} or {@code Folder}, {@code size} in bytes (0 for a folder).
 */
public record FileEntry(String name, String path, String type, long size, Instant modifiedOn) {
    public static final String FILE = "File";
    public static final String FOLDER = "Folder";

    public boolean isFolder() {
        return FOLDER.equals(type);
    }
}

package dev.hangar.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets other accounts pass through the folders above a path: an instance's account must reach its home under the
 * data directory, and the workspace's file share. Only search ({@code o+x}) is added, never read: a folder's names
 * cannot be listed, and what is in it keeps its own mode.
 */
final class SearchPath {
    private SearchPath() {
    }

    /**
     * Adds search for others to {@code path} and every folder above it that lacks it.
     *
     * @return the folders it changed, for the log
     */
    static List<Path> open(Path path) {
        var changed = new ArrayList<Path>();
        for (var folder = path.toAbsolutePath(); folder != null; folder = folder.getParent()) {
            try {
                var mode = Files.getPosixFilePermissions(folder);
                if (!mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    mode.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(folder, mode);
                    changed.add(folder);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot let the instances' accounts pass through " + folder, e);
            }
        }
        return changed;
    }
}

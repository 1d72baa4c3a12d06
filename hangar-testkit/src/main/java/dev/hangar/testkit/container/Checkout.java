package dev.hangar.testkit.container;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of Hangar's source checkout, found from the working directory (a module's folder under Maven). */
final class Checkout {
    private Checkout() {
    }

    /**
     * The file at {@code relative} in the working directory or the nearest of its parents that has it.
     *
     * @throws IllegalStateException when none has it
     */
    static Path file(String relative) {
        var start = Path.of("").toAbsolutePath();
        for (var folder = start; folder != null; folder = folder.getParent()) {
            var candidate = folder.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find " + relative + " in " + start + " or any folder above it;"
                + " run the tests from inside Hangar's checkout.");
    }
}

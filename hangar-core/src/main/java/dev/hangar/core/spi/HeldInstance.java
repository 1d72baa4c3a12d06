package dev.hangar.core.spi;

import java.util.UUID;

/** Something a backend holds for a compute id, as found by its tags: a home, processes, a container. */
public record HeldInstance(UUID computeId, String description) {
}

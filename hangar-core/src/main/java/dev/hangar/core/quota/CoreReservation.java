package dev.hangar.core.quota;

import java.util.UUID;

/**
 * The cores a compute holds against quota, recorded with the compute and removed with it. A compute instance holds its
 * size's cores from creation to deletion, stopped or not, so that it can always start again.
 *
 * @param computeName the compute's name, as the store reads it back (ignored when inserting)
 */
public record CoreReservation(UUID computeId, UUID workspaceId, String computeName, String family,
                              VmPriority priority, int cores) {
}

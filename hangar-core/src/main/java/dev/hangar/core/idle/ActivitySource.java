package dev.hangar.core.idle;

import dev.hangar.core.compute.ComputeInstance;
import java.time.Instant;
import java.util.Optional;

/**
 * One kind of use of an instance that keeps it from being idle: busy or recently used Jupyter kernels, open terminal
 * and SSH sessions, running jobs. The {@link IdleWatcher} asks each source at every look.
 */
@FunctionalInterface
public interface ActivitySource {
    /**
     * When this source last saw the instance in use: {@code now} while it is in use, an earlier instant for use that
     * ended, empty when it knows of none. May block (an HTTP call); a failure counts as knowing of none.
     */
    Optional<Instant> lastActive(ComputeInstance instance, Instant now);
}

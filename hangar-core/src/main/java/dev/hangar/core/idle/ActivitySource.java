package dev.hangar.core.idle;

import dev.hangar.core.compute.ComputeInstance;
import java.time.Instant;
import java.util.Optional;

/**
 * One kind of use of an instance that keeps it from being idle: busy or recently used Jupyter kernels, open terminal
 * and SSH sessions, running jobs, keep-alive leases. The {@link IdleWatcher} asks each source at every look.
 */
public interface ActivitySource {
    /** What this source sees, for the audit event that warns before a stop (e.g. "Jupyter"). */
    String name();

    /**
     * When this source last saw the instance in use: {@code now} while it is in use, an earlier instant for use that
     * ended, empty when it knows of none. May block (an HTTP call); a failure counts as knowing of none.
     */
    Optional<Instant> lastActive(ComputeInstance instance, Instant now);

    /** A source that asks {@code lastActive}, named {@code name}. */
    static ActivitySource of(String name, java.util.function.BiFunction<ComputeInstance, Instant, Optional<Instant>>
            lastActive) {
        return new ActivitySource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Instant> lastActive(ComputeInstance instance, Instant now) {
                return lastActive.apply(instance, now);
            }
        };
    }
}

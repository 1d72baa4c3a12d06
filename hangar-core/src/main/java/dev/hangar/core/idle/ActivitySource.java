package dev.hangar.core.idle;

import dev.hangar.core.compute.ComputeInstance;
import java.time.Instant;

/**
 * One kind of use of an instance that keeps it from being idle: busy or recently used Jupyter kernels, open terminal
 * and SSH sessions, running jobs. The {@link IdleWatcher} asks each source at every look.
 */
@FunctionalInterface
public interface ActivitySource {
    /**
     * What this source knows of the instance's use at {@code now}. May block (an HTTP call); a source that cannot
     * tell (its peer did not answer) says {@link Activity.Unknown}, never {@link Activity.NoneKnown}.
     */
    Activity lastActive(ComputeInstance instance, Instant now);
}

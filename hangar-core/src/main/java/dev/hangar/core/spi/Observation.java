package dev.hangar.core.spi;

import dev.hangar.core.compute.AppEndpoint;
import java.util.List;

/** What a backend sees of an instance. */
public sealed interface Observation {

    /** The instance's apps run; these are their endpoints. */
    record Running(List<AppEndpoint> apps) implements Observation {
        public Running {
            apps = List.copyOf(apps);
        }
    }

    /**
     * The instance exists and no process of it runs.
     *
     * @param cause why it stopped, when the backend knows and it was not asked to stop it (e.g. "it ran out of
     *     memory"); null otherwise
     */
    record Stopped(String cause) implements Observation {
        public Stopped() {
            this(null);
        }
    }

    /** The backend holds nothing for this instance. */
    record Missing() implements Observation {
    }
}

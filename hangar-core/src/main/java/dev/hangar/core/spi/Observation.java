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

    /** The instance exists and no process of it runs. */
    record Stopped() implements Observation {
    }

    /** The backend holds nothing for this instance. */
    record Missing() implements Observation {
    }
}

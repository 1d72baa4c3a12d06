package dev.hangar.bench;

import java.util.List;

/**
 * Something that brings instances up and is timed the same way ({@link InstanceBench}): create → running → first cell,
 * stop (not timed), start → running → first cell. Hangar through its API, or the raw engine ({@link RawContainers}).
 */
interface InstanceSubject {
    /** A few words for progress lines: "Hangar", "raw engine". */
    String what();

    InstanceBench.Timing create(String name);

    /** Stops every instance named and waits until they are; not timed. */
    void stopAll(List<String> names);

    InstanceBench.Timing start(String name);
}

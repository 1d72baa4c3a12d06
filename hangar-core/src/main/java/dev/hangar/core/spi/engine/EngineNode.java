package dev.hangar.core.spi.engine;

import java.util.List;

/**
 * One of an engine's nodes.
 *
 * @param name    the engine's name for it
 * @param state   where it is in Hangar's node terms
 * @param detail  the engine's own state, e.g. {@code mixed}, {@code drained}
 * @param address its address as the engine knows it, or null
 * @param cpus    its CPUs
 * @param jobs    the engine ids of the jobs running on it (of any user)
 */
public record EngineNode(String name, State state, String detail, String address, int cpus, List<String> jobs) {
    public EngineNode {
        jobs = List.copyOf(jobs);
    }

    /** Azure's node states, as {@code listNodes} reports them. */
    public enum State {
        idle, running, preparing, unusable, leaving
    }
}

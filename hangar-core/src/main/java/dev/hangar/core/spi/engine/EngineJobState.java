package dev.hangar.core.spi.engine;

/**
 * What an engine reports of one job.
 *
 * @param phase  where it is in Hangar's terms
 * @param state  the engine's own name for it, e.g. {@code PENDING}, {@code TIMEOUT}
 * @param reason why it waits or how it ended, in the engine's words, or null
 * @param nodes  the nodes it runs or ran on, in the engine's notation, or null
 */
public record EngineJobState(String engineId, Phase phase, String state, String reason, String nodes) {

    public enum Phase {
        /** Waiting in the engine's queue. */
        Pending,
        /** Its command runs (or its processes are being ended). */
        Running,
        /** Ended by its own command: the exit status tells success from failure. */
        Ended,
        /** Ended by the engine: canceled, out of time or memory, its node failed, preempted. */
        Aborted,
        /** Canceled (scancel or an administrator). */
        Canceled
    }
}

package dev.hangar.backend.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;

/** Spark's driver and worker states in Hangar's terms. */
final class DriverStates {
    private DriverStates() {
    }

    /**
     * A driver's {@code driverState}: {@code SUBMITTED} and {@code RELAUNCHING} wait; {@code RUNNING} runs, as does
     * {@code UNKNOWN} (the master lost its worker for a while); {@code FINISHED} and {@code FAILED} ended by the
     * driver's own code; {@code ERROR} ended by Spark (it could not start); {@code KILLED} canceled.
     */
    static EngineJobState of(String driverId, JsonNode status) {
        var state = status.path("driverState").asText("UNKNOWN");
        var phase = switch (state) {
            case "SUBMITTED", "RELAUNCHING" -> EngineJobState.Phase.Pending;
            case "FINISHED", "FAILED" -> EngineJobState.Phase.Ended;
            case "ERROR" -> EngineJobState.Phase.Aborted;
            case "KILLED" -> EngineJobState.Phase.Canceled;
            default -> EngineJobState.Phase.Running;
        };
        var message = status.path("message").asText(null);
        return new EngineJobState(driverId, phase, state, message == null || message.isBlank() ? null
                : message.lines().findFirst().orElse(null), status.path("workerHostPort").asText(null));
    }

    /** A worker's state: {@code ALIVE} is running while it uses cores, idle otherwise. */
    static EngineNode.State node(JsonNode worker) {
        return switch (worker.path("state").asText()) {
            case "ALIVE" -> worker.path("coresused").asInt() > 0 ? EngineNode.State.running : EngineNode.State.idle;
            case "DECOMMISSIONED" -> EngineNode.State.leaving;
            default -> EngineNode.State.unusable;
        };
    }
}

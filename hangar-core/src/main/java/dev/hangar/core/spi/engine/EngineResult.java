package dev.hangar.core.spi.engine;

/**
 * What a job left once it ended.
 *
 * @param exitCode the exit status of its command, or null when the command never ran to its end
 * @param outputs  whether it left outputs, now copied out
 */
public record EngineResult(Integer exitCode, boolean outputs) {
}

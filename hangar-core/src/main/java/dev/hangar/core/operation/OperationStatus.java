package dev.hangar.core.operation;

/**
 * The status of an operation. {@code InProgress} moves to exactly one terminal status; a terminal status is never
 * overwritten.
 */
public enum OperationStatus {
    InProgress, Succeeded, Failed, Canceled;

    public boolean isTerminal() {
        return this != InProgress;
    }
}

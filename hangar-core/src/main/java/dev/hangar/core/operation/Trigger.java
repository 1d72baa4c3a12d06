package dev.hangar.core.operation;

/** What started an operation: a user's call, a schedule, or idle shutdown. */
public enum Trigger {
    User, Schedule, IdleShutdown
}

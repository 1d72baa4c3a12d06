package dev.hangar.core.compute;

/** A move the transition table of {@link InstanceState} does not allow. */
public final class IllegalTransitionException extends RuntimeException {
    private final InstanceState from;
    private final InstanceState to;

    public IllegalTransitionException(InstanceState from, InstanceState to) {
        super("An instance cannot move from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public InstanceState from() {
        return from;
    }

    public InstanceState to() {
        return to;
    }
}

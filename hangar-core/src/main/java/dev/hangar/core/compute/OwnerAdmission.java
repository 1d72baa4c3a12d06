package dev.hangar.core.compute;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether a backend takes one more user's instance: a backend whose instances all run as one account (the host
 * backend when Hangar is not root) takes the instances of one user only, unless its operator lets users share it.
 * Asked when an instance is created, in the transaction that records it.
 */
@FunctionalInterface
public interface OwnerAdmission {
    /** Every backend takes instances of every user. */
    OwnerAdmission ANY = (backend, owner, others) -> Optional.empty();

    /**
     * @param backend the backend's name
     * @param owner the new instance's owner (its assigned user, else its creator)
     * @param others the owners of the backend's other instances, read only when the backend needs them
     * @return why the backend refuses it, naming the setting that would allow it; empty when it takes it
     */
    Optional<String> refusal(String backend, String owner, Supplier<Set<String>> others);
}

package dev.hangar.server.ssh;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.session.ServerSession;

/**
 * Decides which instance a login opens: the one the login name names, when SSH is enabled on it and the key is its
 * registered key. Asked at authentication, and again, with the keys the session proved it holds, each time a channel
 * opens, so that a channel always reaches the instance as it is now. Blocking (it reads the store).
 */
final class Instances {
    private final Store store;
    private final ComputeService computes;

    Instances(Store store, ComputeService computes) {
        this.store = store;
        this.computes = computes;
    }

    /** The decision for a login with {@code key}. */
    Admission admit(String username, PublicKey key) {
        var login = Login.parse(username);
        if (login.isEmpty()) {
            return Admission.refused("the login is not <compute>.<workspace>");
        }
        var target = resolve(login.get());
        if (target.isEmpty()) {
            return Admission.refused("no single instance is named so (name it as <compute>.<workspace>)");
        }
        var ssh = target.get().compute().ssh();
        if (!ssh.publicAccess()) {
            return Admission.refused("SSH access is disabled on the instance");
        }
        if (!AdminPublicKey.matches(ssh.adminPublicKey(), key)) {
            return Admission.refused("the key offered is not the instance's registered key");
        }
        return new Admission(target.get(), null);
    }

    /** The instance an authenticated session opens now; empty when it is gone or no longer takes the session's key. */
    Optional<Target> current(ServerSession session) {
        List<PublicKey> keys = session.getAttribute(UserAuthPublicKey.AUTHENTICATED_KEYS);
        return keys == null ? Optional.empty() : keys.stream().map(key -> admit(session.getUsername(), key))
                .filter(Admission::admitted).map(Admission::target).findFirst();
    }

    private Optional<Target> resolve(Login login) {
        var found = store.read(tx -> tx.allWorkspaces()).stream()
                .filter(workspace -> login.workspace() == null || workspace.name().equalsIgnoreCase(login.workspace()))
                .flatMap(workspace -> computes.find(workspace, login.compute())
                        .map(compute -> new Target(workspace, compute)).stream())
                .limit(2).toList();
        return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
    }

    /** An instance and its workspace. */
    record Target(Workspace workspace, ComputeInstance compute) {
        String login() {
            return Login.of(compute.name(), workspace.name());
        }
    }

    /** The instance a login opens, or why it opens none. */
    record Admission(Target target, String refusal) {
        static Admission refused(String reason) {
            return new Admission(null, reason);
        }

        boolean admitted() {
            return target != null;
        }
    }
}

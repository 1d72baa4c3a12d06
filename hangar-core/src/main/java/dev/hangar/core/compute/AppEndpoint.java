package dev.hangar.core.compute;

import java.net.URI;
import java.util.Map;

/**
 * Where an instance's app (Jupyter, a terminal, ...) really listens, as its backend reports it. Only Hangar's gateway
 * reaches it; {@code headers} are added to every proxied request (e.g. Jupyter's token). An app that cannot run has no
 * target and says why in {@code unavailableReason}. An app told its gateway path (Jupyter) is sent paths unchanged;
 * one that serves at its root ({@code servedAtRoot}: a custom service's image, which knows nothing of Hangar) is sent
 * them with the gateway path taken off.
 */
public record AppEndpoint(String name, String displayName, URI target, Map<String, String> headers,
                          String unavailableReason, boolean servedAtRoot) {

    public AppEndpoint {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public AppEndpoint(String name, String displayName, URI target, Map<String, String> headers,
                       String unavailableReason) {
        this(name, displayName, target, headers, unavailableReason, false);
    }

    public static AppEndpoint available(String name, String displayName, URI target, Map<String, String> headers) {
        return new AppEndpoint(name, displayName, target, headers, null, false);
    }

    /** An app that serves at its root, reached at {@code target} with no credential of its own. */
    public static AppEndpoint atRoot(String name, String displayName, URI target) {
        return new AppEndpoint(name, displayName, target, Map.of(), null, true);
    }

    public static AppEndpoint unavailable(String name, String displayName, String reason) {
        return new AppEndpoint(name, displayName, null, Map.of(), reason);
    }

    /** The same app, now unavailable for {@code reason}. */
    public AppEndpoint unavailableFor(String reason) {
        return new AppEndpoint(name, displayName, null, Map.of(), reason, servedAtRoot);
    }

    public boolean isAvailable() {
        return target != null;
    }
}

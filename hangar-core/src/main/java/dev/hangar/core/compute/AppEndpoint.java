package dev.hangar.core.compute;

import java.net.URI;
import java.util.Map;

/**
 * Where an instance's app (Jupyter, a terminal, ...) really listens, as its backend reports it. Only Hangar's gateway
 * reaches it; {@code headers} are added to every proxied request (e.g. Jupyter's token). An app that cannot run has no
 * target and says why in {@code unavailableReason}.
 */
public record AppEndpoint(String name, String displayName, URI target, Map<String, String> headers,
                          String unavailableReason) {

    public AppEndpoint {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static AppEndpoint available(String name, String displayName, URI target, Map<String, String> headers) {
        return new AppEndpoint(name, displayName, target, headers, null);
    }

    public static AppEndpoint unavailable(String name, String displayName, String reason) {
        return new AppEndpoint(name, displayName, null, Map.of(), reason);
    }

    public boolean isAvailable() {
        return target != null;
    }
}

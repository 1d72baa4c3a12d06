package dev.hangar.core.custom;

import java.util.List;
import java.util.Map;

/**
 * A custom service of a compute instance (Azure's {@code customServices}): a container of {@code image} that runs
 * beside the instance while it runs, with its variables and the instance's folders it asked for. Each of its endpoints
 * is one of the instance's apps, reached only through Hangar's gateway, which opens it for the same callers as Jupyter.
 * Checked by {@link CustomServiceRules} before it is recorded.
 *
 * @param image an image the container engine already has (images are never pulled)
 * @param environment the variables set in its container
 */
public record CustomService(String name, String image, List<Endpoint> endpoints, Map<String, String> environment,
                            List<Volume> volumes) {

    public CustomService {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** The app an endpoint is, under the gateway: {@code <service>.<endpoint>} (a dot is in neither name). */
    public String appName(Endpoint endpoint) {
        return name + "." + endpoint.name();
    }

    /** How {@code applications} and the studio name an endpoint: {@code <service>/<endpoint>}. */
    public String displayName(Endpoint endpoint) {
        return name + "/" + endpoint.name();
    }

    /** How an endpoint speaks; both reach the gateway as HTTP (and WebSockets), which is all it proxies. */
    public enum Protocol { tcp, http }

    /**
     * A port the service listens on in its own container ({@code target}). {@code published} and {@code hostIp} are
     * what Azure publishes it at on the VM; Hangar publishes nothing beyond the host's loopback, where only its gateway
     * connects, so it keeps them as they were given (and checked) for Azure's clients.
     */
    public record Endpoint(String name, Protocol protocol, int target, Integer published, String hostIp) {
        public Endpoint {
            protocol = protocol == null ? Protocol.tcp : protocol;
        }
    }

    /**
     * A folder of the instance the service's container sees at {@code target}. {@code source} is one of the
     * {@link VolumeSource}s, as the instance names it.
     */
    public record Volume(String source, String target, boolean readOnly) {
        /** What {@code source} names; only valid volumes are recorded, so this is known for them. */
        public VolumeSource kind() {
            return VolumeSource.of(source).orElseThrow(() -> new IllegalStateException("Volume source '" + source
                    + "' is none of the instance's folders; CustomServiceRules should have refused it"));
        }
    }
}

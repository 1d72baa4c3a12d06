package dev.hangar.api;

import java.util.List;
import java.util.Map;

/**
 * One of {@code customServices} on a compute instance: an app of a container image that runs beside the instance and
 * is reached, as Jupyter is, through Hangar's gateway. The body of {@code POST .../customServices} is a list of these.
 *
 * @param image {@code {"type":"docker","reference":"<image>"}}: an image the container engine already has
 * @param environmentVariables each variable's {@code {"type":"local","value":"..."}}
 * @param docker {@code {"privileged":false}}; Hangar refuses privileged services
 * @param endpoints the ports the app listens on, each an application of the instance
 * @param volumes what of the instance the app's container sees ({@code bind} mounts)
 */
public record CustomService(String name, Image image, Map<String, EnvironmentVariable> environmentVariables,
                            Docker docker, List<Endpoint> endpoints, List<VolumeDefinition> volumes) {

    /** {@code image}: {@code type} {@code docker} (the default), {@code reference} the image's name. */
    public record Image(String type, String reference) {
    }

    /** One variable's value; {@code type} {@code local} (the default). */
    public record EnvironmentVariable(String type, String value) {
    }

    /** {@code docker}: whether the container is privileged. */
    public record Docker(Boolean privileged) {
    }

    /**
     * A port the app listens on: {@code target} in its container, {@code protocol} {@code tcp} (the default) or
     * {@code http}; {@code published} and {@code hostIp} are the port and address Azure publishes it at on the VM.
     */
    public record Endpoint(String protocol, String name, Integer target, Integer published, String hostIp) {
    }

    /** A bind mount: {@code source} a folder of the instance, {@code target} where the app's container sees it. */
    public record VolumeDefinition(String type, Boolean readOnly, String source, String target) {
    }
}

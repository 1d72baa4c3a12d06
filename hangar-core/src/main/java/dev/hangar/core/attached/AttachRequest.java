package dev.hangar.core.attached;

import dev.hangar.core.compute.AttachedCompute;
import java.util.Map;

/**
 * An attach (or a change of an attachment) as the API took it.
 *
 * @param kind     the engine's kind as given ({@code computeType})
 * @param settings how to reach it, its kind's own keys, none secret
 * @param secrets  its credentials; empty keeps the recorded ones (a GET never shows them, so a PUT of what a GET
 *                 returned must not erase them)
 * @param jobUser  whose account jobs run as; null keeps the recorded choice (at attach: {@link AttachedCompute.JobUser#Connection})
 * @param userMap  Hangar user (name or object id) → engine account; null keeps the recorded map
 */
public record AttachRequest(String kind, String description, Map<String, String> tags, String resourceId,
                            Map<String, String> settings, Map<String, String> secrets,
                            AttachedCompute.JobUser jobUser, Map<String, String> userMap) {
    public AttachRequest {
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        userMap = userMap == null ? null : Map.copyOf(userMap);
        tags = tags == null ? null : Map.copyOf(tags);
    }
}

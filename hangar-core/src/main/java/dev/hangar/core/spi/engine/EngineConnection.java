package dev.hangar.core.spi.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an engine is given to reach an attached compute.
 *
 * @param name        the attached compute's name, for messages
 * @param settings    the attachment's properties as the API took them (e.g. {@code connection}, {@code address},
 *                    {@code sshPort}, {@code username}, {@code partition}, {@code workDirectory}), never secret
 * @param secrets     its secrets (e.g. {@code privateKeyData}, {@code passphrase}, {@code password}), kept sealed by Hangar
 * @param dataDirectory a folder the engine may keep files under (e.g. known host keys), Hangar's own
 */
public record EngineConnection(String name, Map<String, String> settings, Map<String, String> secrets,
                               Path dataDirectory) {
    public EngineConnection {
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
    }
}

package dev.hangar.server.arm;

import dev.hangar.api.SlurmProperties;
import dev.hangar.api.VirtualMachineProperties;
import dev.hangar.core.attached.AttachRequest;
import dev.hangar.core.compute.AttachedCompute;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An attached virtual machine ({@code computeType: VirtualMachine}) on the wire, in Azure's shape: its attach body
 * read as the generic attachment is, less what a GET showed that is the machine's to say; its properties without
 * secrets; its {@code listKeys} as Azure's {@code VirtualMachineSecrets}.
 */
final class VirtualMachineJson {
    /** What the machine said of itself at attach, shown by a GET, ignored when a PUT sends it back. */
    private static final Set<String> READ_ONLY = Set.of("os", "cpus", "memoryGB", "gpus", "containerEngine",
            "python");
    /** Azure's notebook keys, which have no meaning here: accepted as Azure's clients send them, and not kept. */
    private static final Set<String> IGNORED = Set.of("notebookServerPort", "isNotebookInstanceCompute");

    private VirtualMachineJson() {
    }

    static boolean is(String kind) {
        return VirtualMachineProperties.TYPE.equals(kind);
    }

    /** The attach request of a VirtualMachine body, read by the generic reader: read-only and ignored keys left out. */
    static AttachRequest attachment(AttachRequest read) {
        var settings = new LinkedHashMap<>(read.settings());
        settings.keySet().removeAll(READ_ONLY);
        settings.keySet().removeAll(IGNORED);
        return new AttachRequest(read.kind(), read.description(), read.tags(), read.resourceId(), settings,
                read.secrets(), read.jobUser(), read.userMap());
    }

    static VirtualMachineProperties properties(AttachedCompute compute) {
        var settings = compute.settings();
        return new VirtualMachineProperties(settings.get("virtualMachineSize"), integer(settings.get("sshPort"), 22),
                null, settings.get("address"), new SlurmProperties.Credentials(settings.get("username"), null, null,
                null, null), null, settings.get("hostKey"), settings.get("os"), integer(settings.get("cpus"), null),
                settings.containsKey("memoryGB") ? Double.valueOf(settings.get("memoryGB")) : null,
                integer(settings.get("gpus"), null), settings.get("containerEngine"),
                settings.containsKey("python") ? Boolean.valueOf(settings.get("python")) : null);
    }

    /** {@code listKeys}: Azure's {@code VirtualMachineSecrets}, the passphrase of an encrypted key beside them. */
    static Map<String, Object> keys(AttachedCompute compute) {
        var secrets = compute.secrets();
        var account = new LinkedHashMap<String, Object>();
        account.put("username", compute.settings().get("username"));
        account.put("password", secrets.get("password"));
        account.put("publicKeyData", null);
        account.put("privateKeyData", secrets.get("privateKeyData"));
        account.put("passphrase", secrets.get("passphrase"));
        var keys = new LinkedHashMap<String, Object>();
        keys.put("computeType", compute.kind());
        keys.put("administratorAccount", account);
        return keys;
    }

    private static Integer integer(String value, Integer fallback) {
        try {
            return value == null ? fallback : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

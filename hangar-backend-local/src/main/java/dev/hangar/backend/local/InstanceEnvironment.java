package dev.hangar.backend.local;

import java.util.Map;

/**
 * The environment every process of an instance starts with, apps and sessions alike: a clean one (Hangar's own, with
 * database passwords and the operator's shims, is none of the instance's business), the instance's home as
 * {@code HOME}, the account it runs as in {@code USER} and {@code LOGNAME}, and the tag by which stop and delete find
 * every process of the instance.
 */
final class InstanceEnvironment {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private InstanceEnvironment() {
    }

    static Map<String, String> of(InstanceDirectory instance, InstanceAccount account) {
        var home = instance.home();
        return Map.ofEntries(Map.entry("PATH", PATH), Map.entry("LANG", "C.UTF-8"),
                Map.entry("SHELL", LocalSessions.SHELL.toString()), Map.entry("USER", account.name()),
                Map.entry("LOGNAME", account.name()), Map.entry("HOME", home.toString()),
                Map.entry("JUPYTER_CONFIG_DIR", home.resolve(".jupyter").toString()),
                Map.entry("JUPYTER_DATA_DIR", home.resolve(".local/share/jupyter").toString()),
                Map.entry("IPYTHONDIR", home.resolve(".ipython").toString()),
                Map.entry(InstanceProcesses.TAG, instance.computeId().toString()));
    }
}

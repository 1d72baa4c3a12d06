package dev.hangar.backend.local;

import java.util.Map;

/**
 * The environment every process of an instance starts with, apps and sessions alike: a clean one (Hangar's own, with
 * database passwords and the operator's shims, is none of the instance's business), the instance's home as
 * {@code HOME}, and the tag by which stop and delete find every process of the instance.
 */
final class InstanceEnvironment {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private InstanceEnvironment() {
    }

    static Map<String, String> of(InstanceDirectory instance) {
        var home = instance.home();
        return Map.of(
                "PATH", PATH,
                "LANG", "C.UTF-8",
                "SHELL", "/bin/bash",
                "USER", System.getProperty("user.name"),
                "HOME", home.toString(),
                "JUPYTER_CONFIG_DIR", home.resolve(".jupyter").toString(),
                "JUPYTER_DATA_DIR", home.resolve(".local/share/jupyter").toString(),
                "IPYTHONDIR", home.resolve(".ipython").toString(),
                InstanceProcesses.TAG, instance.computeId().toString());
    }
}

package dev.hangar.testkit.container;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Podman and what the configuration of {@code bin/lib/containers.sh} makes it use: runc, catatonit for
 * {@code --init}, and netavark with iptables for the default bridge network and published ports.
 */
final class PodmanInstallation {
    static final String INSTALL = "apt-get install -y --no-install-recommends"
            + " podman runc catatonit netavark aardvark-dns iptables";

    // Each program with the places Debian's packages put it, besides PATH.
    static final Map<String, List<String>> PROGRAMS = programs();

    private PodmanInstallation() {
    }

    private static Map<String, List<String>> programs() {
        var programs = new LinkedHashMap<String, List<String>>();
        programs.put("podman", List.of("/usr/bin/podman"));
        programs.put("runc", List.of("/usr/sbin/runc", "/usr/bin/runc"));
        programs.put("catatonit", List.of("/usr/libexec/podman/catatonit", "/usr/bin/catatonit"));
        programs.put("netavark", List.of("/usr/lib/podman/netavark", "/usr/libexec/podman/netavark"));
        programs.put("iptables", List.of("/usr/sbin/iptables", "/sbin/iptables"));
        return programs;
    }

    /**
     * The podman program.
     *
     * @throws IllegalStateException naming what is missing and the {@code apt-get} line that installs it
     */
    static Path podman() {
        return podman(Optional.ofNullable(System.getenv("PATH")).orElse(""), PROGRAMS);
    }

    static Path podman(String path, Map<String, List<String>> programs) {
        var found = new LinkedHashMap<String, Path>();
        var missing = new ArrayList<String>();
        programs.forEach((program, places) -> find(path, program, places).ifPresentOrElse(
                location -> found.put(program, location), () -> missing.add(program)));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Podman cannot run Hangar's containers here: " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not installed (looked on PATH and in Debian's places)."
                    + " Install with: " + INSTALL + "   (bin/test installs them itself)");
        }
        return found.get("podman");
    }

    private static Optional<Path> find(String path, String program, List<String> places) {
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(folder -> !folder.isEmpty())
                                .map(folder -> Path.of(folder, program)),
                        places.stream().map(Path::of))
                .filter(Files::isExecutable)
                .findFirst();
    }
}

package dev.hangar.backend.slurm;

import dev.hangar.testkit.process.Ports;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/** The engine running Slurm's commands on this host. */
class SlurmLocalIT extends SlurmEngineContract {
    @Override
    String connection() {
        return "Local";
    }

    @Override
    Map<String, String> settings() {
        return site.settings();
    }

    @Override
    Map<String, String> secrets() {
        return Map.of();
    }

    /** A slurm.conf naming a port no controller listens on: the commands give up after its MessageTimeout. */
    @Override
    Unanswered unanswered() throws Exception {
        var conf = site.directory().resolve("silent-slurm.conf");
        var lines = new ArrayList<String>();
        for (var line : Files.readAllLines(site.cluster().conf())) {
            lines.add(line.startsWith("SlurmctldPort=") ? "SlurmctldPort=" + Ports.freeLoopback() : line);
        }
        lines.add("MessageTimeout=2");
        Files.write(conf, lines);
        var settings = new HashMap<>(settings());
        settings.put("slurmConf", conf.toString());
        return new Unanswered(settings, "DOWN");
    }
}

package dev.hangar.backend.local;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.spi.InstanceContext.AppSpec;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a started instance runs, kept in {@code run/apps.json}: its presence means the instance was started and not
 * stopped since. A new backend object reads it to adopt the processes a previous one started.
 */
record RunRecord(List<AppRun> apps) {

    RunRecord {
        apps = List.copyOf(apps);
    }

    /** Whether this record runs exactly the apps asked for, under the same paths. */
    boolean serves(List<AppSpec> specs) {
        return apps.stream().map(AppRun::spec).toList().equals(specs);
    }

    List<AppProcess> processes() {
        return apps.stream().filter(app -> app.process() != null).map(AppRun::process).toList();
    }

    /** One app of the instance: either a process serving it or the reason it cannot run here. */
    record AppRun(String name, String displayName, String basePath, AppProcess process, String unavailableReason) {

        static AppRun launched(AppSpec spec, AppProcess process) {
            return new AppRun(spec.name(), spec.displayName(), spec.basePath(), process, null);
        }

        static AppRun unavailable(AppSpec spec, String reason) {
            return new AppRun(spec.name(), spec.displayName(), spec.basePath(), null, reason);
        }

        AppSpec spec() {
            return new AppSpec(name, displayName, basePath);
        }

        AppEndpoint endpoint() {
            return process == null ? AppEndpoint.unavailable(name, displayName, unavailableReason)
                    : AppEndpoint.available(name, displayName, process.origin(), process.headers());
        }

        /** Where the app answers once it is ready: the gateway forwards paths unchanged, so under basePath. */
        URI readinessUrl() {
            return URI.create(process.origin() + basePath + "api");
        }
    }

    /**
     * A process Hangar started, identified by pid and start instant together so that a reused pid is never taken
     * for it.
     */
    record AppProcess(long pid, Instant startedAt, int port, String token) {
        // The start instant is derived from the boot time, which the kernel reports rounded to seconds and which can
        // differ by one second between two readings; a reused pid never starts within that second.
        private static final Duration SAME_START = Duration.ofSeconds(1);

        boolean startedAt(Instant instant) {
            return Duration.between(startedAt, instant).abs().compareTo(SAME_START) <= 0;
        }

        URI origin() {
            return URI.create("http://127.0.0.1:" + port);
        }

        Map<String, String> headers() {
            return Map.of("Authorization", "token " + token);
        }
    }
}

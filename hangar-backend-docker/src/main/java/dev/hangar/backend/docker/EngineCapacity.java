package dev.hangar.backend.docker;

import dev.hangar.core.size.VmSize;
import dev.hangar.core.spi.BackendException;
import java.util.Locale;

/**
 * What the engine's machine can give one container, as the engine reports it. A size asking for more is refused
 * before anything is created, with the numbers, rather than failing inside the runtime.
 */
record EngineCapacity(int cpus, long memoryBytes) {

    void check(VmSize size) {
        var memory = (long) (size.memoryGb() * 1024 * 1024 * 1024);
        if (size.vCpus() > cpus || memory > memoryBytes) {
            throw BackendException.fatal("SizeExceedsMachine", String.format(Locale.ROOT,
                    "VM size %s asks for %d vCPUs and %.1f GiB of memory; the container engine's machine has %d CPUs"
                            + " and %.1f GiB. Choose a smaller size.",
                    size.name(), size.vCpus(), size.memoryGb(), cpus, memoryBytes / (1024.0 * 1024 * 1024)));
        }
    }
}

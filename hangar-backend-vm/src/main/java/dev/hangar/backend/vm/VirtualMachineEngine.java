package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineInfo;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineResult;
import dev.hangar.core.spi.engine.JobEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hangar's jobs on a Linux machine reached over SSH, Azure's attached {@code VirtualMachine}. Everything Hangar keeps
 * there is under {@code ~/.hangar} of the account it logs in as: a folder per job ({@code jobs/<job id>}, see
 * {@link RunScript}) and the machine's queue ({@code slots/}, {@code queue.lock}), which lives on the machine, so
 * that jobs keep running, waiting and being found while Hangar restarts or the connection drops. Jobs run as that
 * account; nothing else of the machine is ever touched, and detaching leaves the machine as it was but for what is
 * left in Hangar's own folder.
 *
 * <p>Errors: {@code VirtualMachineUnreachable} (retryable), {@code VirtualMachineAuthenticationFailed},
 * {@code VirtualMachineHostKeyMismatch}, {@code VirtualMachineUnsuitable} (a tool jobs need is missing),
 * {@code VirtualMachineCommandFailed}, {@code VirtualMachineSubmitFailed}, {@code VirtualMachineJobFolderRefused},
 * {@code InvalidVirtualMachineSetting}.
 *
 * <p>Thread-safe: it keeps only what the machine said of itself when first asked.
 */
public final class VirtualMachineEngine implements JobEngine {
    static final String HANGAR_FOLDER = ".hangar";

    private final VmSettings settings;
    private final VmHost host;
    private volatile VmFacts facts;
    private volatile JobFolders folders;

    VirtualMachineEngine(VmSettings settings, VmHost host) {
        this.settings = settings;
        this.host = host;
    }

    @Override
    public EngineInfo check() {
        var probed = probe();
        var learned = new LinkedHashMap<>(host.learned());
        learned.putAll(probed.learned());
        return new EngineInfo(probed.os(), probed.hostname(), null, 1, probed.cpus(), probed.account(), false,
                learned);
    }

    /** The machine is reached over SSH, never Hangar's own host as Hangar's own account. */
    @Override
    public boolean onHangarsHost() {
        return false;
    }

    @Override
    public EngineJobRef submit(EngineJob job) {
        if (job.runAs() != null) {
            throw EngineException.fatal(VmFailures.SUBMIT_FAILED, "Jobs on a virtual machine run as the account"
                    + " Hangar logs in as, not as " + job.runAs());
        }
        if (job.nodes() > 1) {
            throw EngineException.fatal(VmFailures.SUBMIT_FAILED, "A virtual machine is one node; the job asks for "
                    + job.nodes());
        }
        var jobs = folders();
        var folder = jobs.folder(job.id().toString());
        if (job.image() != null) {
            requireImage(job.image());
        }
        var script = RunScript.of(job, hangarFolder(), facts.cpus(), facts.containerEngine());
        var code = job.code();
        jobs.make(folder, code == null ? null : () -> Files.newInputStream(code));
        jobs.launch(folder, script, job.tag());
        return new EngineJobRef(job.id().toString(), folder, null);
    }

    @Override
    public Optional<EngineJobRef> find(String tag, String runAs) {
        return folders().find(tag).map(folder -> new EngineJobRef(folder.substring(folder.lastIndexOf('/') + 1),
                folder, null));
    }

    @Override
    public Map<String, EngineJobState> states(Collection<EngineJobRef> jobs) {
        var known = folders();
        var asked = jobs.stream().map(EngineJobRef::folder).filter(folder -> isJobFolder(known, folder)).toList();
        return known.states(asked, facts.hostname());
    }

    @Override
    public void cancel(EngineJobRef job) {
        var jobs = folders();
        jobs.requireJobFolder(job.folder());
        jobs.cancel(job.folder());
    }

    @Override
    public byte[] readLog(EngineJobRef job, long offset, int limit) {
        var jobs = folders();
        jobs.requireJobFolder(job.folder());
        return jobs.read(job.folder() + "/log", offset, limit);
    }

    @Override
    public EngineResult collect(EngineJobRef job, Path outputs) {
        var jobs = folders();
        jobs.requireJobFolder(job.folder());
        var written = new String(jobs.read(job.folder() + "/exit_code", 0, 16), StandardCharsets.UTF_8).strip();
        var exitCode = written.matches("-?\\d{1,9}") ? Integer.valueOf(written) : null;
        var part = outputs.resolveSibling(outputs.getFileName() + ".part");
        try {
            try (var out = Files.newOutputStream(part)) {
                jobs.copy(job.folder() + "/outputs.tar.gz", out);
            }
            if (Files.size(part) == 0) {
                return new EngineResult(exitCode, false);
            }
            Files.move(part, outputs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new EngineResult(exitCode, true);
        } catch (IOException e) {
            throw EngineException.transientFailure(VmFailures.COMMAND_FAILED, "Cannot copy the outputs of job "
                    + job.engineId() + " to " + outputs + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // A part file left behind is overwritten by the next collect.
            }
        }
    }

    @Override
    public void clean(EngineJobRef job) {
        folders().remove(job.folder());
    }

    @Override
    public List<EngineNode> nodes() {
        var running = folders().running();
        var probed = facts;
        return List.of(new EngineNode(probed.hostname(), running.isEmpty() ? EngineNode.State.idle
                : EngineNode.State.running, running.isEmpty() ? "idle" : running.size() + " job(s) running",
                settings.ssh().address(), probed.cpus(), running));
    }

    @Override
    public void close() {
        host.close();
    }

    /** Probes the machine; what it says is kept for the engine's life (its CPUs size the queue). */
    private VmFacts probe() {
        var where = settings.ssh().username() + "@" + settings.ssh().address() + ":" + settings.ssh().port();
        var probed = VmFacts.parse(host.script(VmFacts.PROBE), where);
        facts = probed;
        folders = new JobFolders(host, probed.home() + "/" + HANGAR_FOLDER + "/jobs");
        return probed;
    }

    /** Refuses an image the machine cannot run: it has no container engine, or not that image. */
    private void requireImage(String image) {
        var engine = facts.containerEngine();
        if (engine.equals("none")) {
            throw EngineException.fatal(VmFailures.SUBMIT_FAILED, "The machine has no Docker or Podman that answers"
                    + " its account, so it cannot run image " + image);
        }
        var found = host.script("if \"$1\" image inspect \"$2\" >/dev/null 2>&1; then echo yes; fi", engine, image);
        if (!found.strip().equals("yes")) {
            throw EngineException.fatal(VmFailures.IMAGE_MISSING, "Image " + image + " is not on the machine (" + engine
                    + " image inspect): pull or load it there (" + engine + " pull, or " + engine
                    + " save | ssh ... " + engine + " load); Hangar does not send images yet");
        }
    }

    private JobFolders folders() {
        if (folders == null) {
            synchronized (this) {
                if (folders == null) {
                    probe();
                }
            }
        }
        return folders;
    }

    private String hangarFolder() {
        return facts.home() + "/" + HANGAR_FOLDER;
    }

    private static boolean isJobFolder(JobFolders jobs, String folder) {
        try {
            jobs.requireJobFolder(folder);
            return true;
        } catch (EngineException e) {
            return false;
        }
    }
}

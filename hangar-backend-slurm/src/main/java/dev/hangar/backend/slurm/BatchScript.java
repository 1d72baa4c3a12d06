package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.ssh.client.ShellQuoting;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The batch script Hangar submits for a job. It makes the job's environment itself: sbatch runs with nothing but
 * {@code PATH} and {@code SLURM_CONF} in its environment and passes just that ({@code --export=ALL}), so nothing of
 * Hangar's environment leaks into a job, and no account's login scripts run before it ({@code --export=NONE} would
 * have slurmd run them, as {@code --get-user-env} does, and a login script that hangs would hold the job for ever).
 * The script sources the site's {@code /etc/profile} (environment modules live there), sets {@code HOME},
 * {@code USER} and {@code LOGNAME} of the account it runs as, and exports the job's variables. It runs the command with
 * {@code bash -c}
 * in {@code <folder>/code} (on every node, through {@code srun}, when the job spans several), then leaves in its
 * folder what {@link SlurmEngine#collect} reads: {@code outputs.tar.gz} first, then {@code exit_code}, each written
 * under another name and moved into place, so that a file that is there is whole and {@code exit_code} means done.
 */
final class BatchScript {
    /** The port rank 0 listens on for the other ranks, as on a Hangar cluster. */
    static final int MASTER_PORT = 29500;

    private BatchScript() {
    }

    static String of(EngineJob job, String folder) {
        var code = folder + "/code";
        var lines = new ArrayList<String>();
        lines.add("#!/bin/bash");
        lines.add("# Hangar job " + job.id() + ": its command runs in " + code + ".");
        lines.add("if [ -r /etc/profile ]; then source /etc/profile >/dev/null 2>&1; fi");
        lines.add("export PATH=/usr/local/bin:/usr/bin:/bin:\"$PATH\"");
        lines.add("export USER=\"$(id -un)\"");
        lines.add("export LOGNAME=\"$USER\" HOME=\"$(getent passwd \"$USER\" | cut -d: -f6)\"");
        new TreeMap<>(job.environment()).forEach((name, value) -> lines.add(export(name, value)));
        lines.addAll(job.nodes() > 1 ? onEveryNode(job) : onThisNode(job));
        lines.add("status=$?");
        lines.add("if [ -d " + quote(code + "/outputs") + " ] && [ -n \"$(ls -A " + quote(code + "/outputs") + ")\" ];"
                + " then");
        lines.add("  if tar -czf " + quote(folder + "/outputs.tar.gz.part") + " -C " + quote(code) + " outputs; then");
        lines.add("    mv -f " + quote(folder + "/outputs.tar.gz.part") + " " + quote(folder + "/outputs.tar.gz"));
        lines.add("  else");
        lines.add("    echo \"Hangar could not pack ./outputs (tar exited with $?); the job's exit status is kept.\"");
        lines.add("    rm -f " + quote(folder + "/outputs.tar.gz.part"));
        lines.add("  fi");
        lines.add("fi");
        lines.add("echo \"$status\" > " + quote(folder + "/exit_code.part") + " && mv -f "
                + quote(folder + "/exit_code.part") + " " + quote(folder + "/exit_code"));
        lines.add("exit \"$status\"");
        return String.join("\n", lines) + "\n";
    }

    /**
     * {@code export NAME='value'}, the value single-quoted so that it reaches the command as written.
     *
     * @throws EngineException {@code SlurmSubmitFailed} for a name a shell cannot export
     */
    static String export(String name, String value) {
        try {
            return ShellQuoting.export(name, value);
        } catch (IllegalArgumentException e) {
            throw EngineException.fatal(SlurmFailures.SUBMIT_FAILED, e.getMessage());
        }
    }

    private static List<String> onThisNode(EngineJob job) {
        return List.of("bash -c " + quote(job.command()));
    }

    /**
     * One process per node with the variables a distributed job expects; the batch step runs on the first node,
     * whose name is rank 0's address. {@code --export=ALL} gives the steps the variables set above, whatever export
     * setting a site's defaults would give srun.
     */
    private static List<String> onEveryNode(EngineJob job) {
        var nodes = job.nodes();
        return List.of(
                "export MASTER_ADDR=\"$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\"",
                "export MASTER_PORT=" + MASTER_PORT + " WORLD_SIZE=" + nodes + " AZUREML_NODE_COUNT=" + nodes
                        + " LOCAL_RANK=0",
                "srun --export=ALL --ntasks=" + nodes + " --ntasks-per-node=1 bash -c "
                        + quote("export NODE_RANK=\"$SLURM_PROCID\" RANK=\"$SLURM_PROCID\"; exec bash -c \"$1\"")
                        + " hangar-rank " + quote(job.command()));
    }

    private static String quote(String text) {
        return ShellQuoting.quote(text);
    }
}

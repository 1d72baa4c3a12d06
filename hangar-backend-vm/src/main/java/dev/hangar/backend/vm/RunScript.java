package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.ssh.client.ShellQuoting;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The script that is a job on the machine, {@code <folder>/run.sh}, started detached from the SSH session
 * ({@code setsid nohup}) so that it is the leader of a process group of its own, which outlives Hangar and any
 * connection. It writes its pid (the group's id) to {@code pid}, then waits in the machine's queue: it holds a place
 * while it holds a {@code flock} on one of the files {@code <hangar>/slots/<n>}, one per CPU, taken under
 * {@code <hangar>/queue.lock} so that a job needing several places takes them all or none. Then it marks
 * {@code started} and runs the command with {@code bash -c} in {@code code}, with the job's variables, its standard
 * output and error into {@code log}. At the end it leaves {@code outputs.tar.gz} when {@code code/outputs} holds
 * anything, then {@code exit_code}; each is written under another name and moved into place, so that a file that is
 * there is whole, and {@code exit_code} means done. A job canceled ({@code canceled}) writes neither.
 *
 * <p>A job that names an image runs in a container of it, {@code hangar-<job id>} (named in {@code container}, so
 * that a cancel ends it: the engine's client is not the container), with {@code code} mounted as its working folder,
 * the job's variables, and the machine's network.
 */
final class RunScript {
    static final String NAME = "run.sh";
    /** The script's last line, by which the machine knows it arrived whole. */
    static final String LAST_LINE = "# end of Hangar's run.sh";

    private RunScript() {
    }

    /**
     * @param hangar Hangar's own folder on the machine, where the queue's files are
     * @param slots  the places of the machine's queue: its CPUs
     * @param engine {@code docker} or {@code podman}, which runs a job that names an image
     */
    static String of(EngineJob job, String hangar, int slots, String engine) {
        var need = Math.max(1, Math.min(job.cores(), slots));
        var lines = new ArrayList<String>();
        lines.add("#!/bin/bash");
        lines.add("# Hangar job " + job.id() + ": waits for " + need + " of the machine's " + slots
                + " places, then runs its command in ./code.");
        lines.add("cd \"${0%/*}\" || exit 1");
        lines.add("echo \"$$\" > pid.part && mv -f pid.part pid");
        lines.add("queue=" + ShellQuoting.quote(hangar));
        lines.add("mkdir -p \"$queue/slots\"");
        lines.add("while :; do");
        lines.add("  if [ -e canceled ]; then exit 0; fi");
        lines.add("  exec 8>\"$queue/queue.lock\" && flock 8");
        lines.add("  held=()");
        lines.add("  for ((i = 0; i < " + slots + " && ${#held[@]} < " + need + "; i++)); do");
        lines.add("    exec {fd}>\"$queue/slots/$i\"");
        lines.add("    if flock -n \"$fd\"; then held+=(\"$fd\"); else exec {fd}>&-; fi");
        lines.add("  done");
        lines.add("  exec 8>&-");
        lines.add("  if [ \"${#held[@]}\" -ge " + need + " ]; then break; fi");
        lines.add("  for fd in \"${held[@]}\"; do exec {fd}>&-; done");
        lines.add("  sleep 0.3");
        lines.add("done");
        lines.add("if [ -e canceled ]; then exit 0; fi");
        lines.add(": > started");
        if (job.image() != null) {
            lines.add("echo " + ShellQuoting.quote(engine + " " + containerName(job)) + " > container");
        }
        lines.add("(");
        // The places are this script's to hold: a process the command leaves behind must not keep one.
        lines.add("  for fd in \"${held[@]}\"; do exec {fd}>&-; done");
        new TreeMap<>(job.environment()).forEach((name, value) -> lines.add("  " + export(name, value)));
        lines.add("  cd code && exec " + command(job, engine));
        lines.add(") > log 2>&1 < /dev/null");
        lines.add("status=$?");
        lines.add("if [ -e canceled ]; then exit 0; fi");
        lines.add("if [ -n \"$(ls -A code/outputs 2>/dev/null)\" ]; then");
        lines.add("  tar -czf outputs.tar.gz.part -C code outputs && mv -f outputs.tar.gz.part outputs.tar.gz"
                + " || { echo \"Hangar could not pack ./outputs; the job's exit status is kept.\" >> log;"
                + " rm -f outputs.tar.gz.part; }");
        lines.add("fi");
        lines.add("echo \"$status\" > exit_code.part && mv -f exit_code.part exit_code");
        lines.add(LAST_LINE);
        return String.join("\n", lines) + "\n";
    }

    /** The command line that runs the job's command, in {@code code}: itself, or a container of its image. */
    private static String command(EngineJob job, String engine) {
        var bash = "bash -c " + ShellQuoting.quote(job.command());
        if (job.image() == null) {
            return bash;
        }
        var run = new ArrayList<>(List.of(engine, "run", "--rm", "--name", containerName(job), "--network", "host",
                "-v", "$PWD:/hangar/code", "-w", "/hangar/code"));
        new TreeMap<>(job.environment()).keySet().forEach(name -> run.addAll(List.of("-e", name)));
        return String.join(" ", run.stream().map(word -> word.startsWith("$PWD") ? "\"" + word + "\""
                : ShellQuoting.quote(word)).toList()) + " " + ShellQuoting.quote(job.image()) + " " + bash;
    }

    /** The name of a job's container, {@code hangar-<job id>}. */
    static String containerName(EngineJob job) {
        return "hangar-" + job.id();
    }

    /**
     * {@code export NAME='value'}, the value single-quoted so that it reaches the command as written.
     *
     * @throws EngineException {@value VmFailures#SUBMIT_FAILED} for a name a shell cannot export
     */
    static String export(String name, String value) {
        try {
            return ShellQuoting.export(name, value);
        } catch (IllegalArgumentException e) {
            throw EngineException.fatal(VmFailures.SUBMIT_FAILED, e.getMessage());
        }
    }
}

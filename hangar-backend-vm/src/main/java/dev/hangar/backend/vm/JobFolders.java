package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The job folders under {@code <hangar>/jobs} on the machine, and what their files say ({@link RunScript} writes
 * them). A job's process is known by the pid its script wrote and that process's command line naming the script, so
 * that a pid the system gave to another process since is never taken for the job. Contents travel through standard
 * input and output; only paths and names reach a command line, as arguments.
 */
final class JobFolders {
    private static final Pattern FOLDER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    /**
     * One line per job folder given: {@code <name> <what>}; folders that are not there print nothing. Whether the
     * script lives is looked at before its exit status, so that a script that ends in between is not taken for lost.
     */
    private static final String STATES = """
            for f in "$@"; do
              f=${f%/}; [ -d "$f" ] || continue; id=${f##*/}
              pid=$(cat "$f/pid" 2>/dev/null); alive=
              if [ -n "$pid" ] && grep -qsF "$f/run.sh" "/proc/$pid/cmdline"; then alive=1; fi
              if [ -f "$f/exit_code" ]; then echo "$id ended $(head -c 16 "$f/exit_code")"; continue; fi
              if [ -n "$alive" ]; then
                if [ -e "$f/canceled" ]; then echo "$id canceling"
                elif [ -e "$f/started" ]; then echo "$id running"
                else echo "$id pending"; fi
              elif [ -e "$f/canceled" ]; then echo "$id canceled"
              elif [ -f "$f/tag" ]; then echo "$id lost"
              fi
            done
            """;
    private static final String CANCEL = """
            f=$1; [ -d "$f" ] || exit 0; [ -f "$f/exit_code" ] && exit 0
            : > "$f/canceled"
            if [ -f "$f/container" ]; then read -r engine name < "$f/container"; "$engine" kill "$name" >/dev/null 2>&1; fi
            pid=$(cat "$f/pid" 2>/dev/null)
            { [ -n "$pid" ] && grep -qsF "$f/run.sh" "/proc/$pid/cmdline"; } || exit 0
            kill -TERM "-$pid" 2>/dev/null
            i=0; while kill -0 "-$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
            kill -KILL "-$pid" 2>/dev/null
            exit 0
            """;
    /**
     * Writes the script read from standard input (whole: it ends with {@link RunScript#LAST_LINE}, or a connection
     * lost on the way leaves nothing to start), then the tag, the mark of a submission, then starts the script
     * detached and waits for its pid. A script that started already (a retry after a lost connection) is left alone.
     */
    private static final String LAUNCH = """
            if [ -s "$1/pid" ]; then cat > /dev/null; exit 0; fi
            cat > "$1/run.sh.part" && [ "$(tail -n 1 "$1/run.sh.part")" = "$3" ] && mv -f "$1/run.sh.part" "$1/run.sh" \
                || { echo "the job's script did not arrive whole" >&2; exit 1; }
            printf '%s\\n' "$2" > "$1/tag" || exit 1
            setsid nohup bash "$1/run.sh" > /dev/null 2>&1 < /dev/null &
            i=0; while [ ! -s "$1/pid" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i+1)); done
            [ -s "$1/pid" ] || { echo "the job's script did not start" >&2; exit 1; }
            """;

    private final VmHost host;
    private final String jobs;

    /** @param jobs the absolute folder the job folders are in */
    JobFolders(VmHost host, String jobs) {
        this.host = host;
        this.jobs = jobs;
    }

    /** The folder of job {@code name}. */
    String folder(String name) {
        if (!FOLDER_NAME.matcher(name).matches()) {
            throw EngineException.fatal(VmFailures.FOLDER_REFUSED, "'" + name + "' cannot name a job folder");
        }
        return jobs + "/" + name;
    }

    /**
     * Refuses a folder that is not one job's folder right under the jobs folder, so that removing it can never reach
     * anything else.
     */
    void requireJobFolder(String folder) {
        if (folder == null || !folder.startsWith(jobs + "/")
                || !FOLDER_NAME.matcher(folder.substring(jobs.length() + 1)).matches()) {
            throw EngineException.fatal(VmFailures.FOLDER_REFUSED, "'" + folder + "' is not a job folder under "
                    + jobs + "/");
        }
    }

    /** Makes {@code folder/code}, mode 700, and unpacks {@code code} there when given: one command. */
    void make(String folder, VmHost.InputSource code) {
        if (code == null) {
            host.script("umask 077 && mkdir -p -- \"$1/code\"", folder);
            return;
        }
        var result = host.retriedWith("umask 077 && mkdir -p -- \"$1/code\" && tar -xzf - -C \"$1/code\"", code,
                VmHost.TRANSFER_TIMEOUT, folder);
        if (!result.succeeded()) {
            throw VmFailures.of(VmFailures.SUBMIT_FAILED, List.of("tar", "-xzf", "-", "-C", folder + "/code"),
                    result);
        }
    }

    /** Writes the job's script, then tags and starts it; returns once it runs (and waits in the queue). */
    void launch(String folder, String script, String tag) {
        var bytes = script.getBytes(StandardCharsets.UTF_8);
        var started = host.retriedWith(LAUNCH, () -> new ByteArrayInputStream(bytes), VmHost.COMMAND_TIMEOUT, folder,
                tag, RunScript.LAST_LINE);
        if (!started.succeeded()) {
            throw VmFailures.of(VmFailures.SUBMIT_FAILED, List.of("setsid", "nohup", "bash", folder + "/run.sh"),
                    started);
        }
    }

    /** The folder whose tag is {@code tag}, if one is. */
    Optional<String> find(String tag) {
        var found = host.script("grep -lxF -- \"$2\" \"$1\"/*/tag 2>/dev/null | head -n 1; exit 0", jobs, tag)
                .strip();
        return found.isEmpty() ? Optional.empty() : Optional.of(found.substring(0, found.length() - "/tag".length()));
    }

    /** What each of these folders says of its job, by folder name; a folder that is not there is absent. */
    Map<String, EngineJobState> states(List<String> folders, String node) {
        var states = new LinkedHashMap<String, EngineJobState>();
        if (folders.isEmpty()) {
            return states;
        }
        host.script(STATES, folders.toArray(String[]::new)).lines().map(line -> line.split(" ", 3))
                .filter(fields -> fields.length >= 2)
                .forEach(fields -> states.put(fields[0], state(fields, node)));
        return states;
    }

    /** The names of the jobs whose commands run now. */
    List<String> running() {
        return host.script("set -- \"$1\"/*/\n" + STATES, jobs).lines().map(line -> line.split(" ", 3))
                .filter(fields -> fields.length >= 2 && fields[1].equals("running")).map(fields -> fields[0]).toList();
    }

    /** Ends the job's whole process group (TERM, then KILL after 5 s); a job that ended or is gone is left. */
    void cancel(String folder) {
        host.script(CANCEL, folder);
    }

    /** At most {@code limit} bytes of a file of the folder from {@code offset}; none when it is not there. */
    byte[] read(String path, long offset, int limit) {
        return host.bytes("if [ -f \"$1\" ]; then tail -c \"+$2\" \"$1\" | head -c \"$3\"; fi", path,
                Long.toString(offset + 1), Integer.toString(limit));
    }

    /** Copies a file into {@code output}; nothing when it is not there. */
    void copy(String path, OutputStream output) {
        var result = host.stream("if [ -f \"$1\" ]; then exec cat \"$1\"; fi", InputStream.nullInputStream(), output,
                VmHost.TRANSFER_TIMEOUT, path);
        if (!result.succeeded()) {
            throw VmFailures.of(VmFailures.COMMAND_FAILED, List.of("cat", path), result);
        }
    }

    /** Removes a job's folder and all in it; one that is gone already is no error. */
    void remove(String folder) {
        requireJobFolder(folder);
        host.script("rm -rf -- \"$1\"", folder);
    }

    private static EngineJobState state(String[] fields, String node) {
        var id = fields[0];
        return switch (fields[1]) {
            case "ended" -> {
                var status = fields.length > 2 ? fields[2].strip() : "";
                yield status.equals("0") ? new EngineJobState(id, Phase.Ended, "Completed", null, node)
                        : new EngineJobState(id, Phase.Ended, "Failed", "NonZeroExitCode", node);
            }
            case "running" -> new EngineJobState(id, Phase.Running, "Running", null, node);
            case "canceling" -> new EngineJobState(id, Phase.Running, "Canceling", null, node);
            case "pending" -> new EngineJobState(id, Phase.Pending, "Queued", "waiting for a free CPU", null);
            case "canceled" -> new EngineJobState(id, Phase.Canceled, "Canceled", null, null);
            default -> new EngineJobState(id, Phase.Aborted, "Lost", "its processes ended without an exit status"
                    + " (the machine restarted, or they were killed there)", node);
        };
    }
}

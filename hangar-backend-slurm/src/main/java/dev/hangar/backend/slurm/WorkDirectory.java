package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where job folders go: {@code <workDirectory>/<job id>}, with a leading {@code ~/} standing for the home folder of
 * the account the job runs as (read from {@code getent passwd} once per account), so that each user's jobs live in
 * their own files on the filesystem the nodes share.
 */
final class WorkDirectory {
    private static final Pattern FOLDER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final SlurmHost host;
    private final String setting;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    WorkDirectory(SlurmHost host, String setting) {
        this.host = host;
        this.setting = setting;
    }

    /** The folder of job {@code name} run as {@code runAs} (null: the connection's account). */
    String folder(String runAs, String name) {
        if (!FOLDER_NAME.matcher(name).matches()) {
            throw EngineException.fatal("SlurmJobFolderRefused", "'" + name + "' cannot name a job folder");
        }
        return of(runAs) + "/" + name;
    }

    /**
     * Refuses a folder that is not one job's folder right under the work directory, so that removing it can never
     * reach anything else (an empty path, the work directory itself, a path recorded by mistake).
     */
    void requireJobFolder(String folder, String runAs) {
        var parent = of(runAs) + "/";
        if (folder == null || !folder.startsWith(parent)
                || !FOLDER_NAME.matcher(folder.substring(parent.length())).matches()) {
            throw EngineException.fatal("SlurmJobFolderRefused", "'" + folder + "' is not a job folder under "
                    + parent);
        }
    }

    /** The work directory of {@code runAs} (null: the connection's account). */
    String of(String runAs) {
        var account = runAs == null ? host.account().name() : SlurmHost.requireAccountName(runAs);
        return resolved.computeIfAbsent(account, this::resolve);
    }

    private String resolve(String account) {
        if (!setting.startsWith("~/")) {
            return setting;
        }
        var entry = host.output(null, List.of("getent", "passwd", account)).strip().split(":", -1);
        if (entry.length < 7 || !entry[5].startsWith("/")) {
            throw EngineException.fatal(SlurmFailures.COMMAND_FAILED, "getent passwd " + account
                    + " gives no home folder");
        }
        var home = entry[5].endsWith("/") && entry[5].length() > 1
                ? entry[5].substring(0, entry[5].length() - 1) : entry[5];
        return (home.equals("/") ? "" : home) + setting.substring(1);
    }
}

package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Hangar asks of Slurm itself: what the cluster is, queue a job, find it again, report and end jobs, list nodes.
 * Files are not its part: a job's folder is made and read by {@link JobFiles} before and after.
 *
 * <p>Thread-safe. Every failure is an {@link dev.hangar.core.spi.engine.EngineException}:
 * {@code SlurmControllerUnreachable} (retryable) when Slurm does not answer, else a code naming what went wrong.
 */
interface SlurmClient extends AutoCloseable {

    /** Reaches the controller and says what it is. */
    Cluster cluster();

    /** The cluster's partitions, and which is its default. */
    Partitions partitions();

    /** The account Slurm runs a job as when the job names none. */
    String account();

    /**
     * Queues a batch job whose script is written at {@code <folder>/job.sh} already; returns Slurm's id for it.
     *
     * @throws dev.hangar.core.spi.engine.EngineException {@code SlurmSubmitFailed} when Slurm refuses it
     */
    String submit(Submission submission);

    /** The newest job named {@code tag}, of {@code runAs} when given, if Slurm knows it. */
    Optional<Submitted> find(String tag, String runAs);

    /** What Slurm says of these jobs, by id; the jobs it does not know are absent. */
    Map<String, EngineJobState> states(Collection<String> ids);

    /** Ends a job as {@code runAs}; one that ended already, or that Slurm forgot, is no error. */
    void cancel(String id, String runAs);

    /** The nodes of {@code partition}, with the jobs running on each. */
    List<EngineNode> nodes(String partition);

    @Override
    default void close() {
        // Nothing is held by default.
    }

    /**
     * What {@link #cluster()} found.
     *
     * @param version       e.g. {@code slurm 22.05.8}
     * @param name          the cluster's name, or null when it cannot be learned
     * @param switchesUsers whether jobs may be run as other accounts than {@link #account()}
     */
    record Cluster(String version, String name, boolean switchesUsers) {
    }

    /**
     * A job to queue.
     *
     * @param tag    its name and comment, what {@link #find} looks for
     * @param runAs  the account it runs as
     * @param folder its folder: the script is {@code job.sh} there, it runs in {@code code}, its log is
     *               {@code std_log.txt}
     * @param script the text of {@code job.sh}
     */
    record Submission(String tag, String runAs, String folder, String partition, int nodes, int cores,
                      String script) {
        static final String LOG = "std_log.txt";

        String workingDirectory() {
            return folder + "/code";
        }

        String log() {
            return folder + "/" + LOG;
        }
    }

    /** A submitted job: Slurm's id and the folder its batch script runs in. */
    record Submitted(String id, String workDirectory) {
    }
}

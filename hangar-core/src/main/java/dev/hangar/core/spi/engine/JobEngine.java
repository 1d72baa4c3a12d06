package dev.hangar.core.spi.engine;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workload manager a team already runs (Slurm), attached as a compute: unlike a {@code ComputeBackend}, which
 * Hangar places jobs on, an engine queues, places and runs Hangar's jobs itself, and Hangar follows them.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>Blocking: Hangar calls it from virtual threads; a call may take as long as a round trip to the engine.</li>
 *   <li>Every failure is an {@link EngineException} whose code says what went wrong and whether a retry can help.</li>
 *   <li>Each job has a folder of its own on the engine's side ({@link EngineJobRef#folder()}), made by
 *       {@link #submit} and owned by the account the job runs as; its log, exit status and outputs are read from there.</li>
 *   <li>{@link #submit} is tagged ({@link EngineJob#tag()}), so that a job submitted just before Hangar stopped is
 *       found again ({@link #find}) rather than submitted twice.</li>
 *   <li>Thread-safe: calls for different jobs overlap.</li>
 * </ul>
 */
public interface JobEngine extends AutoCloseable {

    /** Reaches the engine and says what it is; {@link EngineException} when it cannot be reached or used. */
    EngineInfo check();

    /**
     * Whether the engine works on Hangar's own host as Hangar's own account (its commands run there, or job files
     * are made there), as its settings say, known without reaching it: attaching such an engine lends that account
     * to whoever submits, and may point it at files of that host, so only an administrator may.
     */
    boolean onHangarsHost();

    /**
     * Makes the job's folder, puts its code there and submits it. Returns where it is and the engine's id for it.
     * The job's command runs in {@code <folder>/code} (its code unpacked, or empty), with the job's variables, and
     * writes standard output and error to one log; what it leaves in {@code ./outputs} is collected by {@link #collect}.
     */
    EngineJobRef submit(EngineJob job);

    /** The job submitted earlier under {@code tag} as {@code runAs} (null: the connection's account), if the engine has it. */
    Optional<EngineJobRef> find(String tag, String runAs);

    /**
     * What the engine knows of these jobs now, by engine id. A job the engine no longer knows of at all is absent; the
     * caller then decides by {@link #collect} whether it ended.
     */
    Map<String, EngineJobState> states(Collection<EngineJobRef> jobs);

    /** Asks the engine to end the job, queued or running; a job that ended already is not an error. */
    void cancel(EngineJobRef job);

    /** At most {@code limit} bytes of the job's log from {@code offset}; empty when nothing more was written yet. */
    byte[] readLog(EngineJobRef job, long offset, int limit);

    /**
     * Once the job ended: the exit status its command returned (empty when the command never ran to its end, e.g.
     * canceled, timed out or its node failed), and its outputs copied to {@code outputs} as a tar.gz when it left any
     * (true) or not (false; nothing is written).
     */
    EngineResult collect(EngineJobRef job, Path outputs);

    /** Removes the job's folder; a folder already gone is not an error. */
    void clean(EngineJobRef job);

    /** The engine's nodes (of the attached partition), as it reports them now. */
    List<EngineNode> nodes();

    /** Releases connections and threads; the engine's jobs keep running. */
    @Override
    void close();
}

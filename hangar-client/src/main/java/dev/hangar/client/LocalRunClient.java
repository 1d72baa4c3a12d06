package dev.hangar.client;

import dev.hangar.api.LocalRun;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the submitter of a local run (a job whose compute is {@code local}) reports while it runs the command on its
 * own machine: Hangar's extension, see docs/jobs.md. Obtained from {@link JobClient#local}. Every call answers the
 * job as it is now; {@link LocalRun.Report#cancelRequested()} says the command is to be ended. Only the job's
 * submitter or an administrator may call them (403 {@code NotJobSubmitter}); after the end they are refused (409
 * {@code LocalRunEnded}), but for an end sent again with the same exit code. Thread-safe; every method blocks.
 */
public final class LocalRunClient {
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final Transport transport;
    private final String path;

    LocalRunClient(Transport transport, String path) {
        this.transport = transport;
        this.path = path;
    }

    /** The command starts: the job moves to Running; the answer holds the variables the command runs with. */
    public LocalRun.Start start() {
        return transport.read(transport.send("POST", transport.uri(path + "/start", null), null),
                LocalRun.Start.class);
    }

    /**
     * A piece of output that starts at byte {@code offset} of the job's log (the last answer's {@code logLength});
     * sent again, it is not appended twice. An empty piece reports that the command still runs. At most 1 MiB.
     */
    public LocalRun.Report log(long offset, byte[] piece) {
        return transport.read(transport.sendBytes("POST", transport.uri(path + "/log", "offset=" + offset), piece,
                "application/octet-stream"), LocalRun.Report.class);
    }

    /** The tar.gz of the command's {@code ./outputs} (paths {@code outputs/...}); replaces one sent before. */
    public LocalRun.Report outputs(Path archive) {
        return transport.read(transport.sendFile("PUT", transport.uri(path + "/outputs", null), archive,
                "application/gzip", UPLOAD_TIMEOUT), LocalRun.Report.class);
    }

    /** The command ended with {@code exitCode}: the job ends Completed (0), Failed, or Canceled when asked to. */
    public LocalRun.Report end(int exitCode) {
        return transport.read(transport.send("POST", transport.uri(path + "/end", null), new LocalRun.End(exitCode)),
                LocalRun.Report.class);
    }
}

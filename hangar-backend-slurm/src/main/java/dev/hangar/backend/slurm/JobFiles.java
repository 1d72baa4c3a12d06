package dev.hangar.backend.slurm;

import dev.hangar.ssh.client.ShellResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The files of job folders, handled as the account the job runs as (its folder is that account's, mode 700), with
 * plain commands every login node has. Contents travel through standard input and output, so nothing but paths and
 * numbers ever reaches a command line.
 */
final class JobFiles {
    /** Code snapshots and outputs may be large and the link slow; they get longer than one command. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);

    private final SlurmHost host;

    JobFiles(SlurmHost host) {
        this.host = host;
    }

    /** Makes {@code folder} and {@code folder/code}, both mode 700; folders that are there already are kept. */
    void makeFolder(String runAs, String folder) {
        host.output(runAs, List.of("mkdir", "-p", "-m", "700", "--", folder, folder + "/code"));
    }

    /** Unpacks the tar.gz read from {@code archive} into {@code target}. */
    void unpack(String runAs, InputStream archive, String target) {
        var command = List.of("tar", "-xzf", "-", "-C", target);
        var result = host.stream(runAs, command, archive, OutputStream.nullOutputStream(), TRANSFER_TIMEOUT);
        if (!result.succeeded()) {
            throw SlurmFailures.of(SlurmFailures.SUBMIT_FAILED, command, result);
        }
    }

    /** Writes {@code content} to {@code path}, replacing what was there. */
    void write(String runAs, String path, String content) {
        var command = List.of("sh", "-c", "cat > \"$1\"", "hangar-write", path);
        var result = host.stream(runAs, command, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                OutputStream.nullOutputStream(), SlurmHost.COMMAND_TIMEOUT);
        if (!result.succeeded()) {
            throw SlurmFailures.of(SlurmFailures.SUBMIT_FAILED, command, result);
        }
    }

    /** At most {@code limit} bytes of {@code path} from {@code offset}; none when the file is not there. */
    byte[] read(String runAs, String path, long offset, int limit) {
        var bytes = new ByteArrayOutputStream();
        var command = List.of("sh", "-c", "if [ -f \"$1\" ]; then tail -c \"+$2\" \"$1\" | head -c \"$3\"; fi",
                "hangar-read", path, Long.toString(offset + 1), Integer.toString(limit));
        require(command, host.stream(runAs, command, InputStream.nullInputStream(), bytes, SlurmHost.COMMAND_TIMEOUT));
        return bytes.toByteArray();
    }

    /** Copies {@code path} into {@code output}; nothing when the file is not there. */
    void copy(String runAs, String path, OutputStream output) {
        var command = List.of("sh", "-c", "if [ -f \"$1\" ]; then exec cat \"$1\"; fi", "hangar-copy", path);
        require(command, host.stream(runAs, command, InputStream.nullInputStream(), output, TRANSFER_TIMEOUT));
    }

    /** Removes {@code folder} and everything in it; a folder that is gone already is no error. */
    void remove(String runAs, String folder) {
        host.output(runAs, List.of("rm", "-rf", "--", folder));
    }

    private static void require(List<String> command, ShellResult result) {
        if (!result.succeeded()) {
            throw SlurmFailures.of(SlurmFailures.COMMAND_FAILED, command, result);
        }
    }
}

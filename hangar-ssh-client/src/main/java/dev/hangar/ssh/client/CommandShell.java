package dev.hangar.ssh.client;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs commands on a machine an engine works on: Hangar's own host, or one reached over SSH. A command is a list of
 * arguments, program first, never a line of shell text, so that nothing a user wrote is ever parsed as shell.
 *
 * <p>Thread-safe: commands overlap.
 */
public interface CommandShell extends AutoCloseable {

    /**
     * Runs {@code command} to its end: {@code input} is read to its end as the command's standard input (the caller
     * closes it), its standard output is written to {@code output}, its standard error is kept for the result.
     *
     * @throws dev.hangar.core.spi.engine.EngineException the {@link SshErrorCodes#unreachable()} code of the engine
     *     when the machine cannot be reached, its {@link SshErrorCodes#commandFailed()} code (retryable) when the
     *     command did not end within {@code timeout}
     */
    ShellResult run(List<String> command, InputStream input, OutputStream output, Duration timeout);

    /** Settings the shell learned while reaching its machine and wants kept (the SSH host key it trusted first). */
    Map<String, String> learned();

    @Override
    void close();
}

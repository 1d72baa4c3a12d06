package dev.hangar.core.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletionStage;

/**
 * A process (or connection) a backend opened inside an instance for a {@link SessionRequest}. Its streams block; the
 * caller pumps them on threads of its own. With a TTY, the terminal's output is all on {@link #output()} and
 * {@link #errors()} is empty. Closing {@link #input()} is end of input without a TTY (EOF for a command, a half-close
 * for a forwarded connection); with a TTY it may hang the terminal up, as closing a terminal does, so a terminal's
 * end of input is the ^D typed into it. {@link #close()} ends the session (a hang-up for a terminal) and releases
 * what it held.
 */
public interface InstanceSession extends AutoCloseable {

    /** What the user types or sends. */
    OutputStream input();

    /** What the process writes to its standard output, or the terminal's output. */
    InputStream output();

    /** What the process writes to its standard error; empty with a TTY or for a forwarded connection. */
    InputStream errors();

    /** Tells the terminal its new size; ignored by a session without a TTY. */
    void resize(int columns, int rows);

    /**
     * Completes with the exit status once the process has ended and its output has been produced (for a forwarded
     * connection: 0 once both directions are closed). A session closed by {@link #close()} completes too.
     */
    CompletionStage<Integer> exitStatus();

    /** Ends the session now; safe to call more than once. */
    @Override
    void close();
}

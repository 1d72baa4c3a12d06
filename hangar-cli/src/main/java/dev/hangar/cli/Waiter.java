package dev.hangar.cli;

import dev.hangar.client.Progress;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Shows a long-running operation's progress: each new instance state as a line ({@code Stopping}, {@code Stopped}; a
 * compute that is gone as {@code Deleted}, or {@code Detached}), and on a terminal only a status line with the elapsed
 * seconds, rewritten in place.
 */
final class Waiter implements Consumer<Progress> {
    private final PrintWriter lines;
    private final PrintWriter terminal;
    private final String label;
    private final String gone;
    private int statusWidth;

    /**
     * @param terminal where to rewrite the status line, or {@code null} when not on a terminal
     * @param gone     the line of a compute that no longer exists
     */
    Waiter(PrintWriter lines, PrintWriter terminal, String label, String gone) {
        this.lines = lines;
        this.terminal = terminal;
        this.label = label;
        this.gone = gone;
    }

    @Override
    public void accept(Progress progress) {
        if (progress.stateChanged()) {
            clear();
            lines.println(progress.state() == null ? gone : progress.state());
            lines.flush();
        }
        if (terminal != null) {
            var status = label + " ... " + progress.elapsed().toSeconds() + " s";
            clear();
            terminal.print(status);
            terminal.flush();
            statusWidth = status.length();
        }
    }

    /** Removes the status line, if any: call when the wait ends, however it ends. */
    void clear() {
        if (terminal != null && statusWidth > 0) {
            terminal.print("\r" + " ".repeat(statusWidth) + "\r");
            terminal.flush();
            statusWidth = 0;
        }
    }
}

package dev.hangar.server.ssh;

import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.spi.SessionRequest.Tty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A shell, a command or the SFTP subsystem of an SSH session channel, run as an {@link InstanceSession} in the
 * instance: the channel's input, output and error streams are pumped to and from the session's on virtual threads, the
 * terminal's size follows the client's window, and the exit status goes back to the client once the output is
 * through. Closing the channel ends the session; a session that cannot open says why on the error stream and exits 1.
 */
final class InstanceCommand implements Command {
    static final int REFUSED = 1;

    private final SessionOpener opener;
    private final BiFunction<Tty, Map<String, String>, SessionRequest> request;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile InstanceSession session;
    private volatile boolean destroyed;

    /** {@code request} makes the session request from the terminal (null without one) and the client's variables. */
    InstanceCommand(SessionOpener opener, BiFunction<Tty, Map<String, String>, SessionRequest> request) {
        this.opener = opener;
        this.request = request;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment environment) {
        var tty = channel instanceof TerminalAwareChannelSession terminal && terminal.terminalRequested()
                ? tty(environment.getEnv()) : null;
        var asked = request.apply(tty, passedOn(environment.getEnv()));
        Thread.ofVirtual().name("ssh-session-" + channel.getChannelId())
                .start(() -> run(channel, environment, asked, tty != null));
    }

    private void run(ChannelSession channel, Environment environment, SessionRequest asked, boolean terminal) {
        InstanceSession opened;
        try {
            opened = opener.open(channel.getSession(), asked);
        } catch (SessionOpener.Refused refused) {
            say(refused.getMessage(), terminal);
            exit.onExit(REFUSED, refused.getMessage());
            return;
        }
        session = opened;
        if (destroyed) {
            opened.close();
            return;
        }
        if (terminal) {
            environment.addSignalListener((ignored, signal) -> opened.resize(
                    number(environment.getEnv().get(Environment.ENV_COLUMNS)),
                    number(environment.getEnv().get(Environment.ENV_LINES))), Signal.WINCH);
        }
        var name = "ssh-" + channel.getChannelId();
        // A terminal has no end of input (the user types ^D); closing it would hang it up and lose its output.
        var input = Pump.start(name + "-in", in, opened.input(), !terminal);
        var output = Pump.start(name + "-out", opened.output(), out, false);
        var errors = Pump.start(name + "-err", opened.errors(), err, false);
        try {
            var status = opened.exitStatus().toCompletableFuture().join();
            output.drain();
            errors.drain();
            opened.close();
            input.stop();
            exit.onExit(status == null ? 0 : status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opened.close();
        } catch (RuntimeException e) {
            opened.close();
            exit.onExit(REFUSED, "The session ended abnormally: " + e.getMessage());
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        var opened = session;
        if (opened != null) {
            opened.close();
        }
    }

    private void say(String message, boolean terminal) {
        try {
            err.write((message + (terminal ? "\r\n" : "\n")).getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            // The client left before it could be told.
        }
    }

    /** The terminal the client asked for, from the variables MINA set from its {@code pty-req}. */
    private static Tty tty(Map<String, String> variables) {
        return new Tty(variables.get(Environment.ENV_TERM), number(variables.get(Environment.ENV_COLUMNS)),
                number(variables.get(Environment.ENV_LINES)));
    }

    /** The client's locale and terminal type; nothing else it sends (USER is the login name, not a variable). */
    static Map<String, String> passedOn(Map<String, String> variables) {
        var kept = new HashMap<String, String>();
        variables.forEach((key, value) -> {
            if (key.equals("LANG") || key.startsWith("LC_") || key.equals(Environment.ENV_TERM)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

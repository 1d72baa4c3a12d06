package dev.hangar.core.setup;

import java.time.Duration;
import java.util.Objects;

/**
 * A script an instance runs as it is set up: {@code setupScripts.scripts.creationScript} (once, when it is created) or
 * {@code startupScript} (on every start), as Azure ML's wire format carries it.
 *
 * @param source where the script is
 * @param data for {@link Source#workspaceStorage}, the script's path in the workspace's file share; for
 *             {@link Source#inline}, the script's text in base64, as it came
 * @param arguments the arguments, one line split as a shell splits words ({@link ScriptArguments}); null for none
 * @param timeout how long the script may run before it is ended and counted as failed
 */
public record SetupScript(Source source, String data, String arguments, Duration timeout) {
    /** How long a script runs when its request says nothing. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** The longest a script may be given. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /** Where a script is: {@code scriptSource} on the wire. */
    public enum Source {
        /** A {@code .sh} file in the workspace's file share, which every instance has at {@code ~/cloudfiles/code}. */
        workspaceStorage,
        /** The command text itself, in base64. */
        inline
    }

    public SetupScript {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(data, "data");
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        arguments = arguments == null || arguments.isBlank() ? null : arguments;
    }
}

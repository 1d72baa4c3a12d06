package dev.hangar.cli;

import dev.hangar.client.SshAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * First contact with an SSH gateway: its host key, as ssh-keyscan reads it, shown by fingerprint and pinned in the
 * CLI's known_hosts once the user accepts it, at the prompt or with {@code --accept-host-key} (and, when that names a
 * fingerprint, only if it is the same). The API has no field for the key: the server prints its fingerprint at start.
 */
final class GatewayTrust {
    private static final long KEYSCAN_SECONDS = 15;

    private final CliEnvironment environment;
    private final PrintWriter err;
    private final KnownHosts knownHosts;

    GatewayTrust(CliEnvironment environment, PrintWriter err, KnownHosts knownHosts) {
        this.environment = environment;
        this.err = err;
        this.knownHosts = knownHosts;
    }

    /**
     * Pins the gateway's key once accepted.
     *
     * @param accept {@code null} to ask, empty to accept any key, or the fingerprint to accept
     * @return {@code true}: the key is pinned
     * @throws CliException when the key is not accepted, cannot be read, or there is no terminal to ask on
     */
    boolean trust(SshAddress address, String accept) {
        var gateway = KnownHosts.name(address.host(), address.port());
        var keys = scan(address, gateway);
        var shown = keys.stream().map(key -> key.type() + " " + key.fingerprint()).collect(Collectors.joining(", "));
        if (accept != null) {
            var expected = accept.strip();
            if (!expected.isEmpty() && keys.stream().noneMatch(key -> key.fingerprint().equals(expected))) {
                throw new CliException("HostKeyMismatch", "the SSH gateway " + gateway + " shows the host key " + shown
                        + ", not " + expected + ": nothing was pinned and ssh was not run", ExitCodes.UNREACHABLE);
            }
        } else if (!environment.prompt().canAsk()) {
            throw new CliException("HostKeyUnknown", "the SSH gateway " + gateway + " is new to this command line and"
                    + " there is no terminal to ask whether its host key " + shown + " is the server's: compare it with"
                    + " the fingerprint the server printed at start, then pass --accept-host-key "
                    + keys.getFirst().fingerprint(), ExitCodes.USAGE);
        } else {
            err.println("The SSH gateway " + gateway + " is new to this command line. Its host key is " + shown
                    + ".");
            err.println("The Hangar server printed its own when it started ('ssh gateway: port " + address.port()
                    + ", host key SHA256:...'): compare the two.");
            err.flush();
            var answer = environment.prompt().ask("Accept this host key and pin it in "
                    + knownHosts.file() + "? (y/N): ");
            var word = answer.orElse("").strip();
            if (!word.equalsIgnoreCase("y") && !word.equalsIgnoreCase("yes")) {
                throw new CliException("HostKeyNotAccepted", "the host key of " + gateway + " was not accepted: ssh was"
                        + " not run", ExitCodes.FAILED);
            }
        }
        knownHosts.pin(keys);
        err.println("Pinned the host key " + shown + " of " + gateway + " in " + knownHosts.file() + ".");
        return true;
    }

    private List<KnownHosts.HostKey> scan(SshAddress address, String gateway) {
        var command = List.of(environment.program("ssh-keyscan"), "-p", Integer.toString(address.port()),
                "-T", Long.toString(KEYSCAN_SECONDS), address.host());
        try {
            var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            var text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYSCAN_SECONDS + 5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            var keys = text.lines().map(KnownHosts.HostKey::parse)
                    .filter(key -> key != null && key.host().equals(gateway)).toList();
            if (keys.isEmpty()) {
                throw new CliException("HostKeyUnavailable", "cannot read the host key of the SSH gateway " + gateway
                        + " (ssh-keyscan found none): is the server's SSH gateway on?", ExitCodes.UNREACHABLE);
            }
            return keys;
        } catch (IOException e) {
            throw new CliException("SshUnavailable", "cannot run ssh-keyscan (" + e.getMessage() + "); install OpenSSH's"
                    + " client, e.g. apt-get install openssh-client", ExitCodes.FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted", "interrupted while reading the gateway's host key", ExitCodes.FAILED);
        }
    }
}

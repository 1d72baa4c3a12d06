package dev.hangar.client;

import java.util.List;

/**
 * Where a compute instance with SSH enabled is reached: {@code ssh -p <port> <user>@<host>}. The user names the
 * instance and its workspace ({@code <compute>.<workspace>}); the host and port are those of Hangar's SSH gateway.
 */
public record SshAddress(String user, String host, int port) {

    /** {@code user@host}. */
    public String destination() {
        return user + "@" + host;
    }

    /** The OpenSSH command line that logs in: {@code ssh -p <port> <user>@<host>}. */
    public List<String> command() {
        return List.of("ssh", "-p", Integer.toString(port), destination());
    }
}

package dev.hangar.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for the servers tests start. */
public final class Ports {
    /**
     * Below Linux's ephemeral range (32768-60999 by default), from which every outgoing connection takes its local
     * port and every "any free port" bind (Jupyter's kernels, the browser's driver) takes its own: a port chosen here
     * is not taken by one of those between its choice and the server's bind.
     */
    static final int FIRST = 20_000;
    static final int LAST = 32_000;

    private Ports() {
    }

    /** A port nothing listens on on 127.0.0.1 now, below the ephemeral range. */
    public static int freeLoopback() {
        IOException last = null;
        for (int tries = 0; tries < 200; tries++) {
            var port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
            try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new UncheckedIOException("Cannot find a free loopback port between " + FIRST + " and " + LAST, last);
    }
}

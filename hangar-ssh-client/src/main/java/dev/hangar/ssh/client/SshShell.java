package dev.hangar.ssh.client;

import dev.hangar.core.spi.engine.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Runs commands on a host over SSH (Apache MINA SSHD): one client per engine, one authenticated session
 * kept open and opened again when it dropped, one exec channel per command. The host key is checked by
 * {@link HostKeyCheck} before anything is sent.
 *
 * <p>Only what the settings give is used: no {@code ~/.ssh/config}, no default identity files, no agent.
 */
public final class SshShell implements CommandShell {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    private final SshSettings ssh;
    private final SshErrorCodes codes;
    private final HostKeyCheck hostKeys;
    private final List<KeyPair> keys;
    private final SshClient client;
    private ClientSession session; // guarded by this

    private SshShell(SshSettings ssh, SshErrorCodes codes, HostKeyCheck hostKeys, List<KeyPair> keys) {
        this.ssh = ssh;
        this.codes = codes;
        this.hostKeys = hostKeys;
        this.keys = keys;
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.start();
    }

    /**
     * Reads the key and host key of the settings, without connecting.
     *
     * @param codes the engine's error codes for what fails
     * @throws EngineException {@code codes.invalidSetting()} when the private key or the host key cannot be read
     */
    public static SshShell of(SshSettings ssh, SshErrorCodes codes) {
        return new SshShell(ssh, codes, HostKeyCheck.of(ssh.hostKey(), codes.invalidSetting()),
                keys(ssh, codes.invalidSetting()));
    }

    @Override
    public ShellResult run(List<String> command, InputStream input, OutputStream output, Duration timeout) {
        var line = ShellQuoting.commandLine(command);
        var errors = new ByteArrayOutputStream();
        var session = session();
        try (var channel = session.createExecChannel(line)) {
            channel.setOut(output);
            channel.setErr(errors);
            channel.open().verify(CONNECT_TIMEOUT);
            try (var stdin = channel.getInvertedIn()) {
                input.transferTo(stdin);
            } catch (IOException e) {
                // The command ended without reading all of its input (tar on a bad archive): its status says why.
            }
            var events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw EngineException.transientFailure(codes.commandFailed(), "No end after "
                        + timeout.toSeconds() + " s on " + where() + ": " + line, null);
            }
            var status = channel.getExitStatus();
            if (status == null) {
                throw EngineException.transientFailure(codes.unreachable(), "The command ended without an"
                        + " exit status on " + where() + " (signal " + channel.getExitSignal() + "): " + line, null);
            }
            return new ShellResult(status, errors.toString(StandardCharsets.UTF_8));
        } catch (SshChannelOpenException e) {
            // The server refused this one channel (too many open, e.g. OpenSSH's MaxSessions): the session, and the
            // commands on its other channels, are fine.
            throw EngineException.transientFailure(codes.unreachable(), where() + " refused a channel for " + line
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            drop(session);
            throw EngineException.transientFailure(codes.unreachable(), "Lost the SSH connection to " + where()
                    + " while running " + line + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> learned() {
        return hostKeys.learned().map(key -> Map.of(SshSettings.HOST_KEY, key)).orElse(Map.of());
    }

    @Override
    public synchronized void close() {
        dropSession();
        client.stop();
    }

    /** The open session, connecting and authenticating first when there is none or it dropped. */
    private synchronized ClientSession session() {
        if (session != null && session.isOpen()) {
            return session;
        }
        dropSession();
        hostKeys.forgetRefused();
        ClientSession opened;
        try {
            opened = client.connect(ssh.username(), ssh.address(), ssh.port()).verify(CONNECT_TIMEOUT).getSession();
        } catch (IOException e) {
            throw EngineException.transientFailure(codes.unreachable(), "Cannot reach " + where() + ": "
                    + e.getMessage(), e);
        }
        try {
            keys.forEach(opened::addPublicKeyIdentity);
            if (ssh.password() != null) {
                opened.addPasswordIdentity(ssh.password());
            }
            opened.auth().verify(AUTH_TIMEOUT);
        } catch (IOException e) {
            var rejected = opened.isOpen();
            closeQuietly(opened);
            throw authenticationFailure(e, rejected);
        }
        session = opened;
        return opened;
    }

    /**
     * Why authentication did not succeed: a refused host key ends the session during the key exchange; a server that
     * refused every credential still holds the session open; anything else is the network.
     */
    private EngineException authenticationFailure(IOException failure, boolean sessionStillOpen) {
        var refusedKey = hostKeys.refused();
        if (refusedKey.isPresent()) {
            return EngineException.fatal(codes.hostKeyMismatch(), "Refused to log in to " + where() + ": "
                    + refusedKey.get());
        }
        if (sessionStillOpen) {
            return EngineException.fatal(codes.authenticationFailed(), where() + " refused " + credentials() + ": "
                    + failure.getMessage());
        }
        return EngineException.transientFailure(codes.unreachable(), "Lost the connection to " + where()
                + " while logging in: " + failure.getMessage(), failure);
    }

    /** Drops a session that failed, unless another thread already opened a new one. */
    private synchronized void drop(ClientSession failed) {
        if (session == failed) {
            dropSession();
        }
    }

    private void dropSession() {
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
    }

    private static void closeQuietly(ClientSession session) {
        try {
            session.close();
        } catch (IOException e) {
            // The session is being dropped; a failure to close it cleanly changes nothing.
        }
    }

    private String credentials() {
        if (keys.isEmpty()) {
            return "the password";
        }
        return ssh.password() == null ? "the private key" : "the private key and the password";
    }

    private String where() {
        return ssh.username() + "@" + ssh.address() + ":" + ssh.port();
    }

    private static List<KeyPair> keys(SshSettings ssh, String invalidSetting) {
        if (ssh.privateKeyData() == null) {
            return List.of();
        }
        var passwords = ssh.passphrase() == null ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(ssh.passphrase());
        var loaded = new ArrayList<KeyPair>();
        try (var data = new ByteArrayInputStream(ssh.privateKeyData().getBytes(StandardCharsets.UTF_8))) {
            var identities = SecurityUtils.loadKeyPairIdentities(null,
                    NamedResource.ofName(SshSettings.PRIVATE_KEY_DATA), data, passwords);
            if (identities != null) {
                identities.forEach(loaded::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw EngineException.fatal(invalidSetting, SshSettings.PRIVATE_KEY_DATA + " is not a readable OpenSSH or PEM private"
                    + " key" + (ssh.passphrase() == null ? "" : " with the given " + SshSettings.PASSPHRASE) + ": "
                    + e.getMessage());
        }
        if (loaded.isEmpty()) {
            throw EngineException.fatal(invalidSetting, SshSettings.PRIVATE_KEY_DATA + " holds no private key");
        }
        return List.copyOf(loaded);
    }
}

package dev.hangar.testkit.arm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Self-signed server certificates made once per test JVM with the running JDK's {@code keytool}: a keystore for the
 * test server and the certificate as PEM for the client.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final ConcurrentHashMap<String, ServerCertificate> CACHE = new ConcurrentHashMap<>();

    /** A certificate valid for 127.0.0.1 and localhost. */
    public static final String LOCALHOST = "ip:127.0.0.1,dns:localhost";
    /** A certificate for another host only: trusted as a CA file, still refused by host-name verification. */
    public static final String OTHER_HOST = "dns:hangar.example.invalid";

    private TestCertificates() {
    }

    /** The certificate named {@code name} with these subject alternative names, made on first use. */
    public static ServerCertificate get(String name, String subjectAlternativeNames) {
        return CACHE.computeIfAbsent(name + "|" + subjectAlternativeNames, key -> create(name, subjectAlternativeNames));
    }

    /** A keystore and its certificate. */
    public record ServerCertificate(Path keystore, Path pem) {
        public SSLContext serverContext() {
            try (InputStream in = Files.newInputStream(keystore)) {
                var store = KeyStore.getInstance("PKCS12");
                store.load(in, PASSWORD);
                var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, PASSWORD);
                var context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ServerCertificate create(String name, String subjectAlternativeNames) {
        try {
            var dir = Files.createTempDirectory("hangar-cert-" + name);
            dir.toFile().deleteOnExit();
            var keystore = dir.resolve(name + ".p12");
            var pem = dir.resolve(name + ".pem");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + name, "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD));
            keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                    "-storepass", new String(PASSWORD), "-file", pem.toString());
            keystore.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            return new ServerCertificate(keystore, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            var output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

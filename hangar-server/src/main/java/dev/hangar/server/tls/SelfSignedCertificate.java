package dev.hangar.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate Hangar serves when none is configured: generated once, on first start, into the data directory
 * ({@code tls/server.crt}, {@code tls/server.key}), and kept. Clients trust it by being given {@code server.crt}
 * ({@code hangar login --ca-cert}). It names localhost, 127.0.0.1, ::1 and the configured host.
 */
public final class SelfSignedCertificate {
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private SelfSignedCertificate() {
    }

    /** The certificate and key files, generated when they do not exist yet. */
    public static PemFiles ensure(Path directory, String host) {
        var certificate = directory.resolve("server.crt");
        var key = directory.resolve("server.key");
        if (Files.exists(certificate) && Files.exists(key)) {
            return new PemFiles(certificate, key);
        }
        try {
            Files.createDirectories(directory);
            generate(certificate, key, host);
            return new PemFiles(certificate, key);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot create the self-signed certificate in " + directory + ": " + e, e);
        }
    }

    private static void generate(Path certificateFile, Path keyFile, String host)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        var pair = generator.generateKeyPair();
        var subject = new X500Name("CN=Hangar");
        var now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(host)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
        var certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(builder.build(signer));
        Files.writeString(certificateFile, pem(certificate));
        var keyTmp = Files.createTempFile(keyFile.getParent(), "server", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyTmp, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)));
        Files.move(keyTmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static GeneralName[] names(String host) {
        var names = new ArrayList<GeneralName>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        if (host != null && !host.isBlank() && !host.equals("localhost") && !host.equals("127.0.0.1")
                && !host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, host));
        }
        return names.toArray(GeneralName[]::new);
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static String pem(Object object) throws IOException {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /** The PEM certificate and private key files. */
    public record PemFiles(Path certificate, Path privateKey) {
    }

}

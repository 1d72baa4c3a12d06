package dev.hangar.server;

import dev.hangar.server.config.ServerConfig;
import dev.hangar.server.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;

/** The certificate the server serves: the configured one, else the self-signed one kept in the data directory. */
final class Tls {
    private Tls() {
    }

    static SelfSignedCertificate.PemFiles files(ServerConfig config, Path data) {
        var http = config.http();
        if (http.certificate() != null) {
            if (http.privateKey() == null) {
                throw new IllegalArgumentException("server.tls.certificate is set, so server.tls.private-key must be"
                        + " set too");
            }
            for (var file : new Path[] {http.certificate(), http.privateKey()}) {
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException("Cannot read the TLS file " + file);
                }
            }
            return new SelfSignedCertificate.PemFiles(http.certificate(), http.privateKey());
        }
        return SelfSignedCertificate.ensure(data.resolve("tls"), http.host());
    }
}

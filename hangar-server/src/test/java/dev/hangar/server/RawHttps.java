package dev.hangar.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLSocket;

/**
 * Requests no HTTP client would send, written byte for byte over TLS: odd request lines ({@code CONNECT},
 * {@code OPTIONS *}, no {@code Host}), bad escapes, control characters in what the server echoes, duplicate
 * credentials, unknown expectations, conflicting lengths, huge lines. Each must be answered, below 500, within the
 * time allowed.
 */
final class RawHttps {
    private final URI base;
    private final Path certificate;
    private final String token;
    private final int seconds;

    RawHttps(URI base, Path certificate, String token, int seconds) {
        this.base = base;
        this.certificate = certificate;
        this.token = token;
        this.seconds = seconds;
    }

    /** Sends each request on a connection of its own; returns what was answered 5xx, late or not at all. */
    List<String> tryAll(Random random) {
        var host = "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
        var auth = "Authorization: Bearer " + token + "\r\n";
        var ws = WireFormatIT.WS;
        var create = "{\"location\":\"local\",\"properties\":{\"computeType\":\"ComputeInstance\",\"properties\":"
                + "{\"vmSize\":\"Standard_DS1_v2\"}}}";
        var requests = new ArrayList<>(List.of(
                "CONNECT 127.0.0.1:443 HTTP/1.1\r\n" + host + "\r\n",
                "OPTIONS * HTTP/1.1\r\n" + host + "\r\n",
                "GET /hangar/v1/health HTTP/1.1\r\n\r\n",
                "GET /hangar/v1/health HTTP/1.0\r\n\r\n",
                "GET /static/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\n" + host + "\r\n",
                "GET /static/%2e%2e/%2e%2e/pom.xml HTTP/1.1\r\n" + host + "\r\n",
                "GET /hangar/v1/session%zz?token=hgr_secret HTTP/1.1\r\n" + host + auth + "\r\n",
                "GET " + ws + "?api-version=x%00 HTTP/1.1\r\n" + host + auth + "\r\n",
                "GET " + ws + "?api-version=x%0d%0aSet-Cookie:%20a=b HTTP/1.1\r\n" + host + auth + "\r\n",
                "GET /hangar/v1/session HTTP/1.1\r\n" + host + auth + "Authorization: Bearer other\r\n\r\n",
                "GET /hangar/v1/session HTTP/1.1\r\n" + host + "Authorization: Bearer \u0000\r\n\r\n",
                "GET /hangar/v1/session HTTP/1.1\r\n" + host + "Authorization: Basic Zm9vOmJhcg==\r\n\r\n",
                "GET /hangar/v1/session HTTP/1.1\r\n" + host + "Authorization:\r\n\r\n",
                "GET /hangar/v1/session HTTP/1.1\r\n" + host + "Cookie: hangar_session=%zz\r\n\r\n",
                "POST /hangar/v1/tokens HTTP/1.1\r\n" + host + auth + "Expect: banana\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                "PUT " + ws + "/computes/raw-a?api-version=x%00 HTTP/1.1\r\n" + host + auth
                        + "Content-Type: application/json\r\nContent-Length: " + create.length() + "\r\n\r\n" + create,
                "PUT " + ws + "/computes/raw-b HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\n"
                        + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET /hangar/v1/health HTTP/1.1\r\n" + host + "NoColonHere\r\n\r\n",
                "GET /hangar/v1/health HTTP/1.1\n" + host.replace("\r", "") + "\n",
                "get /hangar/v1/health HTTP/1.1\r\n" + host + "\r\n",
                "GET /hangar/v1/health HTTP/9.9\r\n" + host + "\r\n",
                "BREW /hangar/v1/health HTTP/1.1\r\n" + host + "\r\n",
                "GET http://evil.example/hangar/v1/health HTTP/1.1\r\n" + host + "\r\n",
                "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\n" + host + "\r\n",
                "GET /hangar/v1/health HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(100_000) + "\r\n\r\n",
                "POST /signin HTTP/1.1\r\n" + host + "Content-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 15\r\n\r\ntoken=%zz&next=",
                "GET /signin?next=/%09/evil.example HTTP/1.1\r\n" + host + "\r\n",
                "GET /signin?next=" + "a".repeat(100_000) + " HTTP/1.1\r\n" + host + "\r\n"));
        for (int i = 0; i < 20; i++) {
            var bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            requests.add(new String(bytes, StandardCharsets.ISO_8859_1) + "\r\n\r\n");
        }
        var failures = new ArrayList<String>();
        // A body whose framing is broken (a chunk size that is no number) may be answered, or the connection closed
        // at once, as RFC 9112 allows: where the next request would begin is lost. Silence is still a failure.
        var badChunk = "PUT " + ws + "/computes/raw-c HTTP/1.1\r\n" + host + auth
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
        var framing = send(badChunk);
        if (SILENT.equals(framing) || framing != null && (framing.startsWith("HTTP/1.1 5"))) {
            failures.add("raw " + FuzzIT.abbreviate(badChunk) + " -> " + framing);
        }
        for (var request : requests) {
            var answer = send(request);
            if (answer == null || SILENT.equals(answer) || answer.startsWith("HTTP/1.1 5")
                    || answer.startsWith("HTTP/1.0 5")) {
                failures.add("raw " + FuzzIT.abbreviate(request) + " -> " + (answer == null ? "closed, no answer"
                        : SILENT.equals(answer) ? "no answer within " + seconds + " s" : answer));
            }
        }
        return failures;
    }

    private static final String SILENT = "silent";

    /**
     * The answer's status line; null when the connection closed without one; {@value #SILENT} when nothing came in
     * time.
     */
    private String send(String request) {
        try (var socket = (SSLSocket) Https.trusting(certificate).getSocketFactory()
                .createSocket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(seconds * 1000);
            socket.startHandshake();
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return statusLine(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return SILENT;
        } catch (IOException e) {
            return "closed: " + e;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            line.write(b);
        }
        var text = line.toString(StandardCharsets.ISO_8859_1).strip();
        return text.isEmpty() ? null : text;
    }
}

package dev.hangar.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: a status, headers, and a body to write as JSON, bytes or a file's content (or nothing).
 * Routes build replies on virtual threads; the HTTP layer writes them on the event loop.
 */
public record Reply(int status, Map<String, String> headers, Object body) {

    public static Reply ok(Object body) {
        return new Reply(200, Map.of(), body);
    }

    public static Reply status(int status) {
        return new Reply(status, Map.of(), null);
    }

    public static Reply of(int status, Object body) {
        return new Reply(status, Map.of(), body);
    }

    /** Bytes as they are, of {@code contentType}, with more headers. */
    public static Reply text(int status, byte[] body, String contentType, Map<String, String> headers) {
        var all = new java.util.HashMap<>(headers);
        all.put("Content-Type", contentType);
        return new Reply(status, Map.copyOf(all), body);
    }

    /** A file's content, of {@code contentType}, sent from disk as it is. */
    public static Reply file(java.nio.file.Path file, String contentType, Map<String, String> headers) {
        var all = new java.util.HashMap<>(headers);
        all.put("Content-Type", contentType);
        return new Reply(200, Map.copyOf(all), file);
    }

    public Reply withHeaders(Map<String, String> more) {
        var all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new Reply(status, all, body);
    }
}

package dev.hangar.backend.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.hangar.core.spi.BackendException;
import java.io.IOException;
import java.net.URI;

/** Turns what the engine (or the way to it) threw into a {@link BackendException} that says what to do. */
final class EngineErrors {
    private EngineErrors() {
    }

    static BackendException translate(RuntimeException failure, URI host, String image) {
        if (failure instanceof BackendException known) {
            return known;
        }
        if (failure instanceof NotFoundException notFound && mentionsImage(notFound, image)) {
            return BackendException.fatal("ImageNotFound", "The engine at " + host + " has no image " + image
                    + ". Build it with images/instance/build.sh, or set backend.docker.image to an image it has.");
        }
        if (failure instanceof DockerException engine) {
            var message = engineMessage(engine);
            if (message.contains("rlimit") || message.contains("RLIMIT")) {
                return BackendException.fatal("UlimitRefused", "The engine's runtime refused the instance's ulimits ("
                        + message + "). Lower backend.docker.open-files and backend.docker.processes below the"
                        + " engine's hard limits (ulimit -Hn, ulimit -Hu).");
            }
            if (message.contains("Cannot allocate memory") || message.contains("out of memory")) {
                return BackendException.fatal("OutOfMemory", "The engine could not give the instance its memory: "
                        + message);
            }
            // 5xx may pass (the engine restarting); 4xx will not.
            var retryable = engine.getHttpStatus() >= 500;
            return new BackendException("EngineError", "The engine at " + host + " answered HTTP "
                    + engine.getHttpStatus() + ": " + message, retryable, engine);
        }
        if (causedByIo(failure)) {
            return BackendException.retryable("EngineUnreachable", "Cannot reach the container engine at " + host
                    + " (" + rootMessage(failure) + "). Start it (Docker: the docker service; Podman: 'podman system"
                    + " service --time=0 unix:///run/podman/podman.sock') or set backend.docker.host.", failure);
        }
        return new BackendException("EngineError", rootMessage(failure), false, failure);
    }

    private static boolean mentionsImage(NotFoundException failure, String image) {
        var message = engineMessage(failure).toLowerCase();
        return message.contains("image") || message.contains(image.toLowerCase());
    }

    /** The engine's own words: docker-java puts the response body (JSON with a "message") in the exception text. */
    static String engineMessage(DockerException failure) {
        var text = String.valueOf(failure.getMessage());
        var start = text.indexOf("\"message\":\"");
        if (start >= 0) {
            var from = start + "\"message\":\"".length();
            var end = text.indexOf('"', from);
            if (end > from) {
                return text.substring(from, end);
            }
        }
        return text.replaceFirst("^Status \\d+: ", "").strip();
    }

    private static boolean causedByIo(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        var root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}

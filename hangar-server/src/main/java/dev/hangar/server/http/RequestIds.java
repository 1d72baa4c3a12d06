package dev.hangar.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Gives every response an {@code x-ms-request-id} (the caller's {@code x-ms-client-request-id} when it sent one, as
 * ARM's clients correlate by it) and echoes {@code x-ms-client-request-id} and {@code x-ms-correlation-request-id}.
 * Only an id that can go into a header as it is gets echoed (printable, at most {@value #LONGEST} characters); another
 * is replaced by a new one.
 */
public final class RequestIds implements Handler<RoutingContext> {
    static final int LONGEST = 200;

    @Override
    public void handle(RoutingContext ctx) {
        var request = ctx.request();
        var clientId = echoable(request.getHeader("x-ms-client-request-id"));
        var requestId = echoable(request.getHeader("x-ms-request-id"));
        if (requestId == null) {
            requestId = clientId != null ? clientId : UUID.randomUUID().toString();
        }
        var correlation = echoable(request.getHeader("x-ms-correlation-request-id"));
        var response = ctx.response();
        response.putHeader("x-ms-request-id", requestId);
        response.putHeader("x-ms-correlation-request-id", correlation != null ? correlation : requestId);
        if (clientId != null) {
            response.putHeader("x-ms-client-request-id", clientId);
        }
        ctx.next();
    }

    private static String echoable(String id) {
        return id != null && id.length() <= LONGEST && Redact.printable(id) ? id : null;
    }
}

package dev.hangar.server.gateway;

import dev.hangar.server.studio.Pages;
import io.vertx.core.buffer.Buffer;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyResponse;

/**
 * What a person's page load gets when the instance is recorded as running but its app does not answer (starting,
 * or ended behind Hangar's back, e.g. by Jupyter's own Quit, until Hangar notices and records the instance stopped):
 * 503 with a page that says so and asks again every {@value #RETRY_SECONDS} seconds (its script, a file of the studio's
 * under the studio's policy), loading the address anew once it answers otherwise: the app, or, once the instance is
 * recorded stopped, the page that offers to start it. An API client still gets the proxy's 502.
 */
final class AppStarting {
    static final int RETRY_SECONDS = 2;
    private static final MediaType HTML = MediaType.parse("text/html; charset=utf-8");
    private static final byte[] PAGE = ("""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <script src="/static/studio/waiting.js" defer></script>
            <title>Waiting for the app · Hangar</title>
            <link rel="stylesheet" href="/static/studio/studio.css">
            <link rel="icon" href="/static/studio/favicon.svg" type="image/svg+xml">
            </head>
            <body>
            <main id="main">
            <section class="message" aria-labelledby="waiting-title">
            <h1 id="waiting-title">The app does not answer yet</h1>
            <p role="status">This page asks again every %d seconds, and opens the app as soon as it answers.</p>
            <p class="help"><a href="">Try again now</a> · <a href="/">Back to the studio</a></p>
            </section>
            </main>
            </body>
            </html>
            """.formatted(RETRY_SECONDS)).getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private AppStarting() {
    }

    static ProxyResponse page(ProxyContext context) {
        var response = context.request().response();
        response.setStatusCode(503);
        response.headers().clear();
        response.putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Retry-After", String.valueOf(RETRY_SECONDS))
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Security-Policy", Pages.CONTENT_SECURITY_POLICY);
        // The body names its own type, which the proxy writes over the Content-Type header.
        response.setBody(Body.body(Buffer.buffer(PAGE), HTML));
        return response;
    }
}

package dev.hangar.server.studio;

import dev.hangar.server.http.Reply;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Renders the studio's pages from its templates ({@code src/main/jte}, compiled to classes at build time) into replies
 * that carry the studio's security headers: a Content-Security-Policy that lets the page load only this server's own
 * scripts, styles and connections (no inline script or style, no {@code eval}), and no caching of what a signed-in
 * page shows.
 */
public final class Pages {
    /** Every studio page's policy; its scripts and styles are files under {@code /static/studio/}. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'";
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin");
    private static final String HTML = "text/html; charset=utf-8";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    private final String version;

    /** @param version Hangar's version, in the assets' URLs, so that a browser fetches them anew after an upgrade */
    public Pages(String version) {
        this.version = version;
    }

    /** The frame of a page shown before sign-in. */
    public Chrome signedOut(String title) {
        return Chrome.signedOut(title, version);
    }

    /** The frame of a signed-in page. */
    public Chrome chrome(String title, dev.hangar.core.access.User user, String workspace, String section) {
        return new Chrome(title, user.name(), user.admin(), workspace, section, "v=" + version);
    }

    /** {@code template} rendered with {@code params}, as a whole page or a fragment of one. */
    public Reply render(int status, String template, Map<String, Object> params) {
        return Reply.text(status, html(template, params), HTML, HEADERS);
    }

    /** {@code template} rendered to bytes, e.g. a row sent on a live stream. */
    public byte[] html(String template, Map<String, Object> params) {
        var output = new StringOutput();
        engine.render(template, params, output);
        return output.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A page saying one thing (an error, a refusal), with a way on. */
    public Reply message(int status, Chrome chrome, String heading, String text, Link next) {
        return render(status, "message.jte", Map.of("chrome", chrome, "message", new Message(heading, text, next)));
    }

    /** What {@code message.jte} shows. */
    public record Message(String heading, String text, Link next) {
    }
}

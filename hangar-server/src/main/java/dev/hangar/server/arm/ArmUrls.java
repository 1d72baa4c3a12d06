package dev.hangar.server.arm;

import io.vertx.ext.web.RoutingContext;

/**
 * The URLs Hangar hands out: absolute, on the address the caller used (or the configured public URL), so that
 * polling and app links work through whatever name the caller reached the server by.
 */
public final class ArmUrls {
    public static final String PROVIDER = "/providers/Microsoft.MachineLearningServices";
    private final String publicUrl;

    public ArmUrls(String publicUrl) {
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
    }

    /** {@code https://host:port}, without a trailing slash. */
    public String base(RoutingContext ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        var request = ctx.request();
        var authority = request.authority();
        var host = authority != null ? authority.toString() : request.localAddress().hostAddress();
        return (request.isSSL() ? "https://" : "http://") + host;
    }

    /** The api-version the caller sent, echoed into the URLs it will poll; any version is accepted. */
    public static String apiVersion(RoutingContext ctx) {
        var version = ctx.request().getParam("api-version");
        return version == null || version.isBlank() ? "2025-12-01" : version;
    }

    public String operationStatus(RoutingContext ctx, String subscriptionId, String location, String operationId) {
        return base(ctx) + "/subscriptions/" + subscriptionId + PROVIDER + "/locations/" + location
                + "/computeOperationsStatus/" + operationId + "?api-version=" + apiVersion(ctx) + "&service=new";
    }

    public String operationResult(RoutingContext ctx, String subscriptionId, String location, String operationId) {
        return base(ctx) + "/subscriptions/" + subscriptionId + PROVIDER + "/locations/" + location
                + "/computeOperationsResults/" + operationId + "?api-version=" + apiVersion(ctx);
    }
}

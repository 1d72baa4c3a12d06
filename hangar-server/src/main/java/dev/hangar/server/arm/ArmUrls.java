package dev.hangar.server.arm;

import io.vertx.ext.web.RoutingContext;

/**
 * The URLs and addresses Hangar hands out: absolute, on the address the caller used (or the configured public URL), so
 * that polling, app links and SSH work through whatever name the caller reached the server by.
 */
public final class ArmUrls {
    public static final String PROVIDER = "/providers/Microsoft.MachineLearningServices";
    private final String publicUrl;
    private final Integer sshPort;

    /** @param sshPort the SSH gateway's port, or null when the gateway is off */
    public ArmUrls(String publicUrl, Integer sshPort) {
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
        this.sshPort = sshPort;
    }

    /** The SSH gateway's port, or null when the gateway is off. */
    public Integer sshPort() {
        return sshPort;
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

package dev.hangar.server.http;

import dev.hangar.core.access.Action;
import dev.hangar.server.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every route the server serves, each with its path as the docs write it and what it asks of the caller. Routes are
 * mounted only through this table, and the server lists it at {@code GET /hangar/v1/routes}: the authorization matrix
 * test walks that list, so no route can be added without being tried with every kind of caller.
 */
public final class RouteTable {

    /** What a route asks of its caller. */
    public enum Guard {
        /** Nothing: no credential is needed. */
        ANYONE,
        /** A valid credential, whoever it belongs to. */
        SIGNED_IN,
        /** A valid credential of a user with a role in some workspace, or of an administrator. */
        MEMBER,
        /** An administrator. */
        ADMIN,
        /** The caller's roles in the route's workspace grant the route's action (administrators: always). */
        WORKSPACE_ACTION,
        /** The instance's apps: {@code applicationaccess}, and its owner unless the instance is shared. */
        INSTANCE_APPS
    }

    /**
     * One route.
     *
     * @param method   the HTTP method, or {@code *} for any
     * @param template the path with {@code {placeholders}}, e.g. {@code {ws}/computes/{name}} spelled out
     * @param action   the Azure action the guard checks, for {@link Guard#ADMIN} and {@link Guard#WORKSPACE_ACTION}
     */
    public record Route(String method, String template, Guard guard, String action) {
    }

    private final Router router;
    private final AuditTrail audit;
    private final RequestMetrics metrics;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /**
     * @param audit   records the calls of the routes that may change something
     * @param metrics times every route's requests
     */
    public RouteTable(Router router, AuditTrail audit, RequestMetrics metrics) {
        this.router = router;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Mounts {@code handler} on {@code method} and the path regular expression {@code regex}. */
    public void regex(HttpMethod method, String regex, String template, Guard guard, Action action,
                      Handler<RoutingContext> handler) {
        var route = add(method.name(), template, guard, action);
        router.routeWithRegex(method, regex).handler(metrics.around(route.template(), audit.around(route, handler)));
    }

    /** Mounts {@code handler} on {@code method} (any, when null) and a Vert.x path ({@code :param}, {@code *}). */
    public void path(HttpMethod method, String path, String template, Guard guard, Action action,
                     Handler<RoutingContext> handler) {
        var route = add(method == null ? "*" : method.name(), template, guard, action);
        (method == null ? router.route(path) : router.route(method, path))
                .handler(metrics.around(route.template(), audit.around(route, handler)));
    }

    /** The routes mounted so far, in mounting order. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private Route add(String method, String template, Guard guard, Action action) {
        Objects.requireNonNull(guard, "guard");
        var needsAction = guard == Guard.ADMIN || guard == Guard.WORKSPACE_ACTION;
        if (needsAction != (action != null)) {
            throw new IllegalArgumentException("A " + guard + " route " + (needsAction ? "needs" : "takes no")
                    + " action: " + method + " " + template);
        }
        var route = new Route(method, template, guard, action == null ? null : action.azureName());
        routes.add(route);
        return route;
    }
}

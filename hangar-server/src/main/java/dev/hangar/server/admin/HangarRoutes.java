package dev.hangar.server.admin;

import dev.hangar.api.NewUser;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo;
import dev.hangar.api.UserInfo;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Json;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** Hangar's own API beside the ARM surface: {@code /hangar/v1/session}, {@code /hangar/v1/users}, health. */
public final class HangarRoutes {
    private final UserService users;
    private final Authentication authentication;
    private final Supplier<Workspace> defaultWorkspace;
    private final String version;

    public HangarRoutes(UserService users, Authentication authentication, Supplier<Workspace> defaultWorkspace,
                        String version) {
        this.users = users;
        this.authentication = authentication;
        this.defaultWorkspace = defaultWorkspace;
        this.version = version;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        routes.path(HttpMethod.GET, "/hangar/v1/health", "/hangar/v1/health", Guard.ANYONE, null,
                ctx -> Blocking.write(ctx, Reply.ok(java.util.Map.of("status", "UP", "version", version))));
        routes.path(HttpMethod.GET, "/hangar/v1/session", "/hangar/v1/session", Guard.SIGNED_IN, null,
                blocking.handler(this::session));
        routes.path(HttpMethod.GET, "/hangar/v1/users", "/hangar/v1/users", Guard.SIGNED_IN, null,
                blocking.handler(this::listUsers));
        routes.path(HttpMethod.POST, "/hangar/v1/users", "/hangar/v1/users", Guard.ADMIN, Action.USER_WRITE,
                blocking.handler(this::createUser));
        routes.path(HttpMethod.GET, "/hangar/v1/routes", "/hangar/v1/routes", Guard.SIGNED_IN, null,
                blocking.handler(ctx -> {
                    authentication.require(ctx);
                    return Reply.ok(new PagedList<>(routes.routes(), null));
                }));
    }

    private Reply session(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = defaultWorkspace.get();
        var ref = new SessionInfo.WorkspaceRef(workspace.armId(), workspace.subscriptionId(),
                workspace.resourceGroup(), workspace.name(), workspace.location());
        return Reply.ok(new SessionInfo(info(caller), ref, version));
    }

    private Reply listUsers(RoutingContext ctx) {
        authentication.require(ctx);
        return Reply.ok(new PagedList<>(users.list().stream().map(HangarRoutes::info).toList(), null));
    }

    private Reply createUser(RoutingContext ctx) throws Exception {
        var caller = authentication.require(ctx);
        users.requireCreate(caller);
        var raw = ctx.body().asString();
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(ErrorCodes.MISSING_BODY, "The request needs a body {\"name\": ...}.");
        }
        var request = Json.MAPPER.readValue(raw, NewUser.Request.class);
        var created = users.create(caller, request.name(), Boolean.TRUE.equals(request.admin()), request.role(),
                defaultWorkspace.get());
        return Reply.of(201, new NewUser.Response(info(created.user()), created.token()));
    }

    static UserInfo info(User user) {
        return new UserInfo(user.id().toString(), user.name(), user.tenantId(), user.admin());
    }
}

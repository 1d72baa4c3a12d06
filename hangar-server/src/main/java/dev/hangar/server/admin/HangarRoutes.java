package dev.hangar.server.admin;

import dev.hangar.api.AuditEventInfo;
import dev.hangar.api.NewToken;
import dev.hangar.api.NewUser;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo;
import dev.hangar.api.TokenInfo;
import dev.hangar.api.UserInfo;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.ApiToken;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.audit.AuditFilter;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hangar's own API beside the ARM surface: {@code /hangar/v1/session}, {@code /hangar/v1/users}, {@code /hangar/v1/tokens},
 * the route table and health.
 */
public final class HangarRoutes {
    private final UserService users;
    private final Authentication authentication;
    private final Supplier<Workspace> defaultWorkspace;
    private final String version;
    private final Clock clock;
    private final WorkspaceService workspaces;
    private final AuditLog audit;

    public HangarRoutes(UserService users, WorkspaceService workspaces, AuditLog audit, Authentication authentication,
                        Supplier<Workspace> defaultWorkspace, String version, Clock clock) {
        this.clock = clock;
        this.workspaces = workspaces;
        this.audit = audit;
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
        routes.path(HttpMethod.GET, "/hangar/v1/users", "/hangar/v1/users", Guard.MEMBER, null,
                blocking.handler(this::listUsers));
        routes.path(HttpMethod.POST, "/hangar/v1/users", "/hangar/v1/users", Guard.ADMIN, Action.USER_WRITE,
                blocking.handler(this::createUser));
        routes.path(HttpMethod.GET, "/hangar/v1/tokens", "/hangar/v1/tokens", Guard.SIGNED_IN, null,
                blocking.handler(this::listTokens));
        routes.path(HttpMethod.POST, "/hangar/v1/tokens", "/hangar/v1/tokens", Guard.SIGNED_IN, null,
                blocking.handler(this::createToken));
        routes.path(HttpMethod.DELETE, "/hangar/v1/tokens/:id", "/hangar/v1/tokens/{id}", Guard.SIGNED_IN, null,
                blocking.handler(this::revokeToken));
        // The default workspace's events unless ?workspace= names another (or * for all, administrators).
        routes.path(HttpMethod.GET, "/hangar/v1/events", "/hangar/v1/events", Guard.WORKSPACE_ACTION,
                Action.EVENTS_READ, blocking.handler(this::events));
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
        var caller = authentication.require(ctx);
        return Reply.ok(new PagedList<>(users.list(caller).stream().map(HangarRoutes::info).toList(), null));
    }

    private Reply createUser(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        users.requireCreate(caller);
        var request = Requests.body(ctx, NewUser.Request.class, "{\"name\": ...}", WireSchemas.USER);
        var created = users.create(caller, request.name(), Boolean.TRUE.equals(request.admin()), request.role(),
                defaultWorkspace.get());
        return Reply.of(201, new NewUser.Response(info(created.user()), created.token()));
    }

    private Reply listTokens(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var now = clock.instant();
        var tokens = users.tokens(caller, ctx.queryParams().get("user")).stream()
                .map(token -> info(token, now)).toList();
        return Reply.ok(new PagedList<>(tokens, null));
    }

    private Reply createToken(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var request = Requests.body(ctx, NewToken.Request.class, "{\"name\": ...}", WireSchemas.TOKEN);
        var made = users.createToken(caller, request.user(), request.name(), request.expiresOn());
        return Reply.of(201, new NewToken.Response(info(made.token(), clock.instant()), made.secret()));
    }

    private Reply revokeToken(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.notFound("TokenNotFound",
                "No token '" + ctx.pathParam("id") + "'."));
        var revoked = users.revokeToken(caller, id).orElseThrow(() -> ApiException.notFound("TokenNotFound",
                "No token '" + id + "' of yours."));
        // Tokens looked up lately are remembered for a few seconds: a revoked one must stop working now.
        authentication.forgetAll();
        return Reply.ok(info(revoked, clock.instant()));
    }

    /**
     * Audit events, newest first: of the workspace named by {@code workspace} (default: the server's default one), or
     * of everything with {@code workspace=*} (administrators); filtered by {@code since}, {@code until} (ISO 8601),
     * {@code actor}, {@code action}, {@code target}, {@code result}; at most {@code top} (default 100, at most 1000),
     * after the newest {@code skip}.
     */
    private Reply events(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var params = ctx.queryParams();
        var named = params.get("workspace");
        var all = "*".equals(named);
        Workspace workspace = null;
        if (!all) {
            workspace = named == null ? defaultWorkspace.get() : workspaces.named(named).orElseThrow(() ->
                    ApiException.notFound("Workspace '" + named + "' was not found."));
        }
        var filter = new AuditFilter(workspace == null ? null : workspace.id(), all, instant(params.get("since"),
                "since"), instant(params.get("until"), "until"), params.get("actor"), params.get("action"),
                params.get("target"), params.get("result"), number(params.get("top"), "top", AuditFilter.DEFAULT_LIMIT),
                number(params.get("skip"), "skip", 0));
        var names = new java.util.HashMap<java.util.UUID, String>();
        var events = audit.events(caller, workspace, filter).stream().map(event -> new AuditEventInfo(
                event.id().toString(), event.at(), event.workspaceId() == null ? null : names.computeIfAbsent(
                        event.workspaceId(), id -> workspaceName(id)), event.actor(), event.action(), event.target(),
                event.result(), event.status(), event.errorCode(), event.requestId(), event.trigger(),
                event.detail())).toList();
        return Reply.ok(new PagedList<>(events, null));
    }

    private String workspaceName(java.util.UUID id) {
        return workspaces.byId(id).map(Workspace::name).orElse(id.toString());
    }

    private static Instant instant(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("InvalidTime", name + " must be an ISO 8601 instant such as"
                    + " 2026-01-31T12:00:00Z; got '" + text + "'.", name);
        }
    }

    private static int number(String text, String name, int otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name.equals("top") ? "InvalidTop" : "InvalidSkip", name + " must be a"
                    + " number; got '" + text + "'.", name);
        }
    }

    static TokenInfo info(ApiToken token, Instant now) {
        return new TokenInfo(token.id().toString(), token.name(), token.userId().toString(), token.createdOn(),
                token.expiresOn(), token.revokedOn(), token.state(now).name());
    }

    static UserInfo info(User user) {
        return new UserInfo(user.id().toString(), user.name(), user.tenantId(), user.admin());
    }
}

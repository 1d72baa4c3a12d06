package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.RoleDefinition;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's users, for administrators ({@code /admin/users}): who they are, and a new user with a role in the
 * default workspace, whose first token the answer's page shows once, as {@code POST /hangar/v1/users} returns it.
 */
final class UserPages {
    static final String PATH = "/admin/users";
    /** The roles the form offers: the built-in ones (custom roles are given with {@code hangar role assign}). */
    static final List<String> ROLES = List.of(RoleDefinition.CONTRIBUTOR.name(), RoleDefinition.READER.name(),
            RoleDefinition.OWNER.name());
    private static final DateTimeFormatter CREATED = StudioTimes.MINUTE;

    private final UserService users;
    private final Authentication authentication;
    private final Pages pages;
    private final Supplier<Workspace> defaultWorkspace;

    UserPages(UserService users, Authentication authentication, Pages pages, Supplier<Workspace> defaultWorkspace) {
        this.users = users;
        this.authentication = authentication;
        this.pages = pages;
        this.defaultWorkspace = defaultWorkspace;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.ADMIN, Action.USER_WRITE, studio.handler(ctx -> page(ctx,
                null)));
        routes.path(HttpMethod.POST, PATH, PATH, Guard.ADMIN, Action.USER_WRITE, studio.handler(this::create));
    }

    private Reply page(RoutingContext ctx, UserService.Created made) {
        var reader = authentication.requireForPage(ctx);
        users.requireCreate(reader);
        var rows = users.list(reader).stream().sorted(Comparator.comparing(user -> user.name().toLowerCase(
                java.util.Locale.ROOT))).map(UserPages::row).toList();
        var workspace = defaultWorkspace.get().name();
        var view = new UsersView(pages.chrome("Users", reader, workspace, "Users"), rows, ROLES, workspace,
                made == null ? null : made.user().name(), made == null ? null : made.token());
        return pages.render(made == null ? 200 : 201, "users.jte", Map.of("view", view));
    }

    private Reply create(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        // Refused before anything of the form is read.
        users.requireCreate(caller);
        var form = ctx.request().formAttributes();
        var role = form.get("role");
        var made = users.create(caller, form.get("name"), "yes".equals(form.get("admin")),
                role == null || role.isBlank() ? null : role, defaultWorkspace.get());
        return page(ctx, made);
    }

    private static UsersView.Row row(User user) {
        return new UsersView.Row(user.name(), user.id().toString(), user.admin(), user.createdOn() == null ? ""
                : CREATED.format(user.createdOn()));
    }
}

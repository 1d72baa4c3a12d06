package dev.hangar.server.studio;

import dev.hangar.core.access.ApiToken;
import dev.hangar.core.access.Tokens;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The reader's own tokens and browser sessions ({@code /account/tokens}), as {@code GET /hangar/v1/tokens} lists
 * them: a new token (its secret shown on the answer's page, once), and revoking one (it stops working at once; the
 * session of this very browser too, which then signs in again). Through {@link UserService}, as the API.
 */
final class TokenPages {
    static final String PATH = "/account/tokens";
    private static final DateTimeFormatter TIME = StudioTimes.MINUTE;

    private final UserService users;
    private final Authentication authentication;
    private final Pages pages;
    private final Clock clock;
    private final Supplier<Workspace> defaultWorkspace;

    TokenPages(UserService users, Authentication authentication, Pages pages, Clock clock,
               Supplier<Workspace> defaultWorkspace) {
        this.users = users;
        this.authentication = authentication;
        this.pages = pages;
        this.clock = clock;
        this.defaultWorkspace = defaultWorkspace;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.SIGNED_IN, null, studio.handler(ctx -> page(ctx, null)));
        routes.path(HttpMethod.POST, PATH, PATH, Guard.SIGNED_IN, null, studio.handler(this::create));
        routes.path(HttpMethod.POST, PATH + "/:id/revoke", PATH + "/{id}/revoke", Guard.SIGNED_IN, null,
                studio.handler(this::revoke));
    }

    private Reply page(RoutingContext ctx, UserService.NewToken made) {
        var reader = authentication.requireForPage(ctx);
        var now = clock.instant();
        var session = Tokens.hash(String.valueOf(Authentication.secretOf(ctx)).strip());
        var rows = users.tokens(reader, null).stream()
                .sorted(java.util.Comparator.comparing(ApiToken::createdOn).reversed())
                .map(token -> row(token, now, session)).toList();
        var view = new TokensView(chrome(reader), rows, made == null ? null : made.token().name(),
                made == null ? null : made.secret(), UserService.DEFAULT_TOKEN_LIFETIME.toDays(),
                UserService.MAX_TOKEN_LIFETIME.toDays());
        return pages.render(made == null ? 200 : 201, "tokens.jte", Map.of("view", view));
    }

    private Reply create(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var form = ctx.request().formAttributes();
        var made = users.createToken(caller, null, form.get("name"), expiry(form.get("days")));
        return page(ctx, made);
    }

    private Reply revoke(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("TokenNotFound", "No token '" + ctx.pathParam("id") + "'.");
        }
        var revoked = users.revokeToken(caller, id).filter(token -> token.userId().equals(caller.id()))
                .orElseThrow(() -> ApiException.notFound("TokenNotFound", "No token '" + id + "' of yours."));
        // Tokens looked up lately are remembered for a few seconds: a revoked one must stop working now.
        authentication.forgetAll();
        return Reply.status(303).withHeaders(Map.of("Location", PATH + "?revoked=" + java.net.URLEncoder.encode(
                revoked.name(), java.nio.charset.StandardCharsets.UTF_8), "Cache-Control", "no-store"));
    }

    private Instant expiry(String days) {
        if (days == null || days.isBlank()) {
            return null;
        }
        try {
            return clock.instant().plus(Duration.ofDays(Long.parseLong(days.strip())));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ApiException.badRequest("InvalidTokenExpiry", "A token's lifetime is a number of days, 1 to "
                    + UserService.MAX_TOKEN_LIFETIME.toDays() + "; got '" + days + "'.", "days");
        }
    }

    private static TokensView.Row row(ApiToken token, Instant now, String session) {
        var state = token.state(now);
        return new TokensView.Row(token.name(), TIME.format(token.createdOn()),
                token.expiresOn() == null ? "never" : TIME.format(token.expiresOn()), state.name(),
                token.secretHash().equals(session), state == ApiToken.State.Active
                ? PATH + "/" + token.id() + "/revoke" : null);
    }

    private Chrome chrome(User reader) {
        return pages.chrome("Tokens", reader, defaultWorkspace.get().name(), "Tokens");
    }
}

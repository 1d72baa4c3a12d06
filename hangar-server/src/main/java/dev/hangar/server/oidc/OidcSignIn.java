package dev.hangar.server.oidc;

import dev.hangar.core.access.UserService;
import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.error.ApiException;
import dev.hangar.server.studio.SignIn;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.ApiErrors;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Json;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The browser's sign-in through the OpenID Connect provider: the authorization-code flow with PKCE (S256), a
 * {@code state} and a {@code nonce}. The callback exchanges the code at the provider's token endpoint, verifies the
 * ID token as bearer JWTs are verified (with the client id as audience, and the nonce), and starts a browser session
 * as the token form does ({@link SignIn#start}): a token of the user's in the session cookie, listed with their tokens
 * and ended by sign-out or revocation.
 *
 * <p>Sign-ins under way are held in memory for {@link #PENDING} each: one server, and a sign-in that outlives a
 * restart simply starts again.
 */
public final class OidcSignIn {
    public static final String PATH = "/signin/oidc";
    public static final String CALLBACK = PATH + "/callback";
    static final Duration PENDING = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OidcProvider provider;
    private final UserService users;
    private final AuditLog audit;
    private final Function<RoutingContext, String> base;
    private final ExecutorService executor;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SignIn signIn;

    /** @param base this server's base URL as the browser reaches it, for the redirect URI */
    public OidcSignIn(OidcProvider provider, UserService users, AuditLog audit, Function<RoutingContext, String> base,
                      ExecutorService executor, Clock clock, SignIn signIn) {
        this.signIn = signIn;
        this.provider = provider;
        this.users = users;
        this.audit = audit;
        this.base = base;
        this.executor = executor;
        this.clock = clock;
    }

    private record Pending(String nonce, String verifier, String next, String redirectUri, Instant since) {
    }

    public void mount(RouteTable routes) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.ANYONE, null, ctx -> blocking(ctx, () -> begin(ctx)));
        routes.path(HttpMethod.GET, CALLBACK, CALLBACK, Guard.ANYONE, null, ctx -> blocking(ctx, () -> {
            // A GET that makes a session (and maybe a user): recorded as the audit trail records changing calls.
            try {
                var done = finish(ctx);
                record(ctx, done.user().name(), 303, null);
                return done.reply();
            } catch (ApiException e) {
                record(ctx, "anonymous", ApiErrors.status(e), e.code());
                throw e;
            }
        }));
    }

    /** Sends the browser to the provider, remembering what to check when it comes back. */
    private Runnable begin(RoutingContext ctx) {
        var endpoints = provider.endpoints();
        if (endpoints.authorization() == null || endpoints.token() == null) {
            throw ApiException.unavailable("IdentityProviderUnavailable", "The provider's discovery document names no"
                    + " authorization or token endpoint.");
        }
        var now = clock.instant();
        pending.values().removeIf(old -> old.since().plus(PENDING).isBefore(now));
        var state = random();
        var verifier = random() + random();
        var redirect = base.apply(ctx) + CALLBACK;
        pending.put(state, new Pending(random(), verifier, SignIn.safeNext(ctx.request().getParam("next")), redirect,
                now));
        var query = new LinkedHashMap<String, String>();
        query.put("response_type", "code");
        query.put("client_id", provider.settings().clientId());
        query.put("redirect_uri", redirect);
        query.put("scope", "openid profile email");
        query.put("state", state);
        query.put("nonce", pending.get(state).nonce());
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        var location = endpoints.authorization() + (endpoints.authorization().getQuery() == null ? "?" : "&")
                + form(query);
        return () -> ctx.response().setStatusCode(302).putHeader("Location", location)
                .putHeader("Cache-Control", "no-store").end();
    }

    private record Finished(dev.hangar.core.access.User user, Runnable reply) {
    }

    private void record(RoutingContext ctx, String actor, int status, String code) {
        audit.record(new AuditEvent(java.util.UUID.randomUUID(), clock.instant(), null, actor, "GET " + CALLBACK,
                CALLBACK, status >= 400 ? "Failed" : "Succeeded", status, code,
                ctx.response().headers().get("x-ms-request-id"), "User", "OpenID Connect sign-in"));
    }

    /** The provider's answer: the code becomes an ID token, the ID token a user, the user a session. */
    private Finished finish(RoutingContext ctx) {
        var state = ctx.request().getParam("state");
        var waiting = state == null ? null : pending.remove(state);
        if (waiting == null || waiting.since().plus(PENDING).isBefore(clock.instant())) {
            throw ApiException.badRequest("InvalidSignInState", "This sign-in is unknown or too old; start again.");
        }
        if (ctx.request().getParam("error") != null) {
            throw ApiException.unauthorized("SignInRefused", "The identity provider refused the sign-in: "
                    + ctx.request().getParam("error") + " " + ctx.request().getParam("error_description", ""));
        }
        var code = ctx.request().getParam("code");
        if (code == null) {
            throw ApiException.badRequest("InvalidSignInState", "The identity provider sent no code.");
        }
        var idToken = exchange(code, waiting);
        var identity = provider.verify(idToken, provider.settings().clientId());
        String nonce;
        try {
            nonce = identity.claims().getStringClaim("nonce");
        } catch (ParseException e) {
            nonce = null;
        }
        if (!waiting.nonce().equals(nonce)) {
            throw ApiException.unauthorized("InvalidAuthenticationToken", "The ID token's nonce is not this"
                    + " sign-in's.");
        }
        var user = users.signInWith(identity.issuer(), identity.subject(), identity.name(), identity.tenant());
        var session = signIn.start(ctx, user, false, waiting.next());
        return new Finished(user, () -> {
            Authentication.signedIn(ctx, user);
            Blocking.write(ctx, session);
        });
    }

    private String exchange(String code, Pending waiting) {
        var settings = provider.settings();
        var body = new LinkedHashMap<String, String>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", waiting.redirectUri());
        body.put("client_id", settings.clientId());
        body.put("code_verifier", waiting.verifier());
        try {
            if (settings.clientSecretFile() != null) {
                body.put("client_secret", Files.readString(settings.clientSecretFile()).strip());
            }
            var response = http.send(HttpRequest.newBuilder(provider.endpoints().token())
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            var answer = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200 || !answer.path("id_token").isTextual()) {
                throw ApiException.unauthorized("SignInRefused", "The identity provider would not exchange the code ("
                        + response.statusCode() + "): " + answer.path("error").asText("") + " "
                        + answer.path("error_description").asText(""));
            }
            return answer.get("id_token").asText();
        } catch (IOException e) {
            throw ApiException.unavailable("IdentityProviderUnavailable", "The identity provider's token endpoint"
                    + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("IdentityProviderUnavailable", "Interrupted.");
        }
    }

    /** Runs {@code work} on a virtual thread; its reply, or its failure as the sign-in page, back on the context. */
    private void blocking(RoutingContext ctx, java.util.function.Supplier<Runnable> work) {
        var context = Vertx.currentContext();
        executor.execute(() -> {
            try {
                var reply = work.get();
                context.runOnContext(ignored -> reply.run());
            } catch (ApiException e) {
                var page = signIn.page(ApiErrors.status(e), e.getMessage(), "/");
                context.runOnContext(ignored -> Blocking.write(ctx, page));
            } catch (RuntimeException e) {
                context.runOnContext(ignored -> ctx.fail(e));
            }
        });
    }

    private static String random() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** Where the sign-in page's button leads. */
    public static URI start(String next) {
        return URI.create(PATH + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    }
}

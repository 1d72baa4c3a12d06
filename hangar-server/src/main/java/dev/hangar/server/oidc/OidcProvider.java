package dev.hangar.server.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.hangar.core.error.ApiException;
import dev.hangar.server.config.ServerConfig;
import dev.hangar.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

/**
 * An OpenID Connect provider Hangar trusts: its discovery document, its signing keys (JWKS, fetched and cached by
 * Nimbus JOSE+JWT, refreshed when a token names a key not seen yet), and the checks that make one of its JWTs a
 * proof of who calls: the signature, the issuer, the audience, the expiry.
 *
 * <p>The provider is looked up on first use, not at start, so Hangar starts while the provider is down; until it
 * answers, JWTs get 503 {@code IdentityProviderUnavailable} and API tokens keep working. Thread-safe.
 */
public final class OidcProvider {
    /**
     * The least time between two fetches of the provider's keys when tokens name a key not seen yet: a new key of
     * the provider's is picked up within it, and forged key ids cannot make Hangar hammer the provider.
     */
    static final Duration KEY_REFRESH_LIMIT = Duration.ofSeconds(5);
    /** Clock skew allowed between Hangar and the provider. */
    static final Duration SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final ServerConfig.Oidc settings;
    private final HttpClient http;
    private final Clock clock;
    private volatile Endpoints endpoints;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public OidcProvider(ServerConfig.Oidc settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public ServerConfig.Oidc settings() {
        return settings;
    }

    /** Where the provider signs users in and gives out tokens, from its discovery document. */
    public record Endpoints(URI jwks, URI authorization, URI token) {
    }

    /** Who a verified token names. */
    public record Identity(String issuer, String subject, String name, String tenant, Instant expiresAt,
                           JWTClaimsSet claims) {
    }

    /** The provider's endpoints, read from its discovery document the first time they are needed. */
    public Endpoints endpoints() {
        var known = endpoints;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (endpoints == null) {
                var document = discover();
                var issuer = document.path("issuer").asText(null);
                if (!settings.issuer().equals(issuer)) {
                    throw unavailable("The discovery document of " + settings.issuer() + " names issuer '" + issuer
                            + "'; oidc.issuer must be exactly the issuer its tokens carry.");
                }
                var jwks = document.path("jwks_uri").asText(null);
                if (jwks == null) {
                    throw unavailable("The discovery document of " + settings.issuer() + " has no jwks_uri.");
                }
                endpoints = new Endpoints(URI.create(jwks), uri(document, "authorization_endpoint"),
                        uri(document, "token_endpoint"));
            }
            return endpoints;
        }
    }

    private static URI uri(JsonNode document, String field) {
        var value = document.path(field).asText(null);
        return value == null ? null : URI.create(value);
    }

    private JsonNode discover() {
        var where = URI.create(settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try {
            var response = http.send(HttpRequest.newBuilder(where).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw unavailable("The identity provider answered " + response.statusCode() + " for " + where + ".");
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw unavailable("The identity provider cannot be reached at " + where + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while reaching the identity provider.");
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor() {
        var known = processor;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (processor == null) {
                try {
                    var keys = JWKSourceBuilder.<SecurityContext>create(endpoints().jwks().toURL()).retrying(true)
                            .rateLimited(KEY_REFRESH_LIMIT.toMillis()).build();
                    var made = new DefaultJWTProcessor<SecurityContext>();
                    made.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                            new JOSEObjectType("at+jwt"), null));
                    made.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
                    // The claims are checked below, each with its own error code.
                    made.setJWTClaimsSetVerifier((claims, context) -> { });
                    processor = made;
                } catch (java.net.MalformedURLException e) {
                    throw unavailable("The provider's jwks_uri is not a URL: " + e.getMessage());
                }
            }
            return processor;
        }
    }

    /** A bearer token's identity, with {@code audience} as the token must name it. */
    public Identity verify(String jwt, String audience) {
        SignedJWT parsed;
        JWTClaimsSet unverified;
        try {
            parsed = SignedJWT.parse(jwt.strip());
            unverified = parsed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("InvalidAuthenticationToken", "The token is neither a Hangar API token nor a signed JWT.");
        }
        // The issuer first, from the unverified claims: a token of another issuer cannot be verified with this
        // one's keys, and should say so rather than "bad signature".
        if (!settings.issuer().equals(unverified.getIssuer())) {
            throw invalid("InvalidAuthenticationTokenTenant", "The token was issued by '" + unverified.getIssuer()
                    + "', not by '" + settings.issuer() + "', the issuer this server trusts.");
        }
        JWTClaimsSet claims;
        try {
            claims = processor().process(parsed, null);
        } catch (RateLimitReachedException e) {
            throw invalid("InvalidAuthenticationToken", "The token is signed with a key " + settings.issuer()
                    + " does not publish (its keys were read again less than " + KEY_REFRESH_LIMIT.toSeconds()
                    + " s ago).");
        } catch (KeySourceException e) {
            throw unavailable("The identity provider's keys cannot be read from " + endpoints().jwks() + ": "
                    + causes(e));
        } catch (BadJOSEException | JOSEException e) {
            throw invalid("InvalidAuthenticationToken", "The token's signature does not verify with "
                    + settings.issuer() + "'s keys: " + e.getMessage());
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw invalid("InvalidAuthenticationTokenAudience", "The token is meant for " + claims.getAudience()
                    + ", not for '" + audience + "'.");
        }
        var now = clock.instant();
        var expires = instant(claims.getExpirationTime());
        if (expires == null || expires.plus(SKEW).isBefore(now)) {
            throw invalid("ExpiredAuthenticationToken", "The token expired at " + expires + ".");
        }
        var notBefore = instant(claims.getNotBeforeTime());
        if (notBefore != null && notBefore.minus(SKEW).isAfter(now)) {
            throw invalid("InvalidAuthenticationToken", "The token is not valid before " + notBefore + ".");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw invalid("InvalidAuthenticationToken", "The token names no subject ('sub').");
        }
        String name;
        String tenant;
        try {
            name = claims.getStringClaim(settings.usernameClaim());
            tenant = claims.getStringClaim("tid");
        } catch (ParseException e) {
            throw invalid("InvalidAuthenticationToken", "The token's '" + settings.usernameClaim()
                    + "' claim is not a string.");
        }
        if (name == null || name.isBlank()) {
            throw invalid("InvalidAuthenticationToken", "The token has no '" + settings.usernameClaim()
                    + "' claim to name its user by (oidc.username-claim).");
        }
        return new Identity(claims.getIssuer(), claims.getSubject(), name.strip(), tenant, expires, claims);
    }

    /** The messages of a failure and its causes, for one line of an error. */
    private static String causes(Throwable failure) {
        var text = new StringBuilder();
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            text.append(text.isEmpty() ? "" : ": ").append(cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName());
        }
        return text.toString();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static ApiException invalid(String code, String message) {
        return ApiException.unauthorized(code, message);
    }

    private static ApiException unavailable(String message) {
        return ApiException.unavailable("IdentityProviderUnavailable", message);
    }
}

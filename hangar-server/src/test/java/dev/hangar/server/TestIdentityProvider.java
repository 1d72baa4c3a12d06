package dev.hangar.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenID Connect provider for tests, on loopback: a discovery document, a JWKS of RSA keys the test makes, an
 * authorization endpoint that signs in the user the test chose at once, and a token endpoint that checks the
 * code, the PKCE verifier and the client secret before it answers with an ID token. No real provider can run on this
 * machine (none is packaged for it), so this stands in for one: what it serves is what Keycloak, Entra ID or Dex
 * serve for the same flow.
 */
final class TestIdentityProvider implements AutoCloseable {
    static final String CLIENT_ID = "hangar-studio";
    static final String CLIENT_SECRET = "client-s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private volatile RSAKey signing;
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    /** Who the authorization endpoint signs in next: subject and name. */
    volatile String nextSubject = "subject-alice";
    volatile String nextName = "alice";

    TestIdentityProvider() throws Exception {
        signing = newKey();
        published.add(signing);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", exchange -> json(exchange, 200, Map.of(
                "issuer", issuer(), "jwks_uri", issuer() + "/jwks", "authorization_endpoint", issuer() + "/authorize",
                "token_endpoint", issuer() + "/token")));
        server.createContext("/jwks", exchange -> json(exchange, 200,
                new JWKSet(List.copyOf(published).stream().map(key -> (com.nimbusds.jose.jwk.JWK) key.toPublicJWK())
                        .toList()).toJSONObject()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static RSAKey newKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    /** Publishes a new signing key beside the old one and signs with it from now on. */
    void rotateKey() throws Exception {
        signing = newKey();
        published.add(signing);
    }

    /** A token as the provider makes them; {@code change} alters its claims before it is signed. */
    String token(String subject, String name, String audience,
                 java.util.function.Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return sign(signing, claims(subject, name, audience, change));
    }

    JWTClaimsSet claims(String subject, String name, String audience,
                        java.util.function.Consumer<JWTClaimsSet.Builder> change) {
        var now = Instant.now();
        var builder = new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .claim("preferred_username", name).claim("tid", "tenant-of-" + name);
        change.accept(builder);
        return builder.build();
    }

    static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private void authorize(HttpExchange exchange) throws IOException {
        var query = query(exchange.getRequestURI().getRawQuery());
        var code = UUID.randomUUID().toString();
        var granted = new HashMap<>(query);
        granted.put("subject", nextSubject);
        granted.put("name", nextName);
        codes.put(code, granted);
        var back = query.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", back);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        var form = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        var granted = codes.remove(form.getOrDefault("code", ""));
        try {
            if (granted == null || !"authorization_code".equals(form.get("grant_type"))
                    || !CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))
                    || !granted.get("redirect_uri").equals(form.get("redirect_uri"))
                    || !granted.get("code_challenge").equals(challenge(form.get("code_verifier")))) {
                json(exchange, 400, Map.of("error", "invalid_grant"));
                return;
            }
            var idToken = token(granted.get("subject"), granted.get("name"), CLIENT_ID,
                    claims -> claims.claim("nonce", granted.get("nonce")));
            json(exchange, 200, Map.of("access_token", "opaque", "token_type", "Bearer", "id_token", idToken));
        } catch (Exception e) {
            json(exchange, 500, Map.of("error", e.toString()));
        }
    }

    private static String challenge(String verifier) throws Exception {
        if (verifier == null) {
            return "";
        }
        var digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static Map<String, String> query(String raw) {
        var values = new HashMap<String, String>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (var pair : raw.split("&")) {
            var cut = pair.indexOf('=');
            values.put(URLDecoder.decode(cut < 0 ? pair : pair.substring(0, cut), StandardCharsets.UTF_8),
                    cut < 0 ? "" : URLDecoder.decode(pair.substring(cut + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        var bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    URI uri() {
        return URI.create(issuer());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

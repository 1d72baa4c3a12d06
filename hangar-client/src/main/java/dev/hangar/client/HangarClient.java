package dev.hangar.client;

import dev.hangar.api.AuditEventInfo;
import dev.hangar.api.NewToken;
import dev.hangar.api.NewUser;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.api.TokenInfo;
import dev.hangar.api.VirtualMachineSize;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Java client of a Hangar server, speaking Azure ML's ARM wire format over HTTPS.
 *
 * <pre>{@code
 * try (var hangar = HangarClient.builder().server(URI.create("https://127.0.0.1:8443")).token(token)
 *         .caCertificate(Path.of("hangar-ca.pem")).build()) {
 *     var computes = hangar.workspace(hangar.session().defaultWorkspace());
 *     computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2"))
 *             .waitForCompletion(Duration.ofMinutes(10), progress -> System.out.println(progress.state()));
 * }
 * }</pre>
 *
 * <p><b>Threading.</b> A client and the {@link ComputeClient}s it hands out are thread-safe and meant to be shared; every
 * call blocks the calling thread (virtual threads welcome) until the answer or the request timeout.
 *
 * <p><b>Errors.</b> Every call throws only the unchecked {@link HangarException}: the server's ARM error with its HTTP
 * status, or a client-side failure with status 0 (connection, TLS, timeout). Results are the {@code dev.hangar.api}
 * records.
 *
 * <p>Close the client to release its connections.
 */
public final class HangarClient implements AutoCloseable {
    private static final com.fasterxml.jackson.core.type.TypeReference<PagedList<AuditEventInfo>> EVENT_PAGE =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };
    private static final com.fasterxml.jackson.core.type.TypeReference<PagedList<TokenInfo>> TOKEN_PAGE =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };
    /** The {@code api-version} every request carries. */
    public static final String API_VERSION = "2025-12-01";

    private final Transport transport;

    HangarClient(Transport transport) {
        this.transport = transport;
    }

    /** A builder with safe defaults; see {@link HangarClientBuilder}. */
    public static HangarClientBuilder builder() {
        return new HangarClientBuilder();
    }

    /** The server's base URL. */
    public URI server() {
        return transport.server();
    }

    /** {@code GET /hangar/v1/session}: who the token belongs to, and the workspace to use when none is named. */
    public SessionInfo session() {
        return transport.read(transport.send("GET", transport.uri("/hangar/v1/session", null), null),
                SessionInfo.class);
    }

    /**
     * {@code POST /hangar/v1/users}: creates a user and its first API token (admins only; 403 otherwise). The token is
     * in the answer once and never again.
     */
    public NewUser.Response createUser(String name, boolean admin) {
        return createUser(name, admin, null);
    }

    /**
     * {@link #createUser(String, boolean)}, giving the user {@code role} (a role's name, e.g. {@code Contributor}) in
     * the server's default workspace; without one a non-admin user can do nothing there until a role is assigned.
     */
    public NewUser.Response createUser(String name, boolean admin, String role) {
        Objects.requireNonNull(name, "name");
        var reply = transport.send("POST", transport.uri("/hangar/v1/users", null),
                new NewUser.Request(name, admin, role));
        return transport.read(reply, NewUser.Response.class);
    }

    /** {@code GET /hangar/v1/tokens}: the caller's tokens (administrators: {@code user}'s when not null). */
    public List<TokenInfo> tokens(String user) {
        var query = user == null ? null : "user=" + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8);
        var reply = transport.send("GET", transport.uri("/hangar/v1/tokens", query), null);
        var page = transport.read(reply, TOKEN_PAGE);
        return page.value() == null ? List.of() : page.value();
    }

    /**
     * {@code POST /hangar/v1/tokens}: a new token for the caller (administrators: for {@code user} when not null),
     * expiring at {@code expiresOn} (null: in 90 days). The secret is in the answer once and never again.
     */
    public NewToken.Response createToken(String name, Instant expiresOn, String user) {
        var reply = transport.send("POST", transport.uri("/hangar/v1/tokens", null),
                new NewToken.Request(name, expiresOn, user));
        return transport.read(reply, NewToken.Response.class);
    }

    /** {@code DELETE /hangar/v1/tokens/{id}}: revokes the token; it stops working at once. */
    public TokenInfo revokeToken(String id) {
        var reply = transport.send("DELETE", transport.uri("/hangar/v1/tokens/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8), null), null);
        return transport.read(reply, TokenInfo.class);
    }

    /**
     * {@code GET /hangar/v1/events}: audit events, newest first.
     *
     * @param query the filters as query parameters ({@code workspace} (a name, or {@code *}), {@code since},
     *              {@code until}, {@code actor}, {@code action}, {@code target}, {@code result}, {@code top}); null
     *              values are left out
     */
    public List<AuditEventInfo> events(Map<String, String> query) {
        var parts = new ArrayList<String>();
        query.forEach((key, value) -> {
            if (value != null) {
                parts.add(key + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        var reply = transport.send("GET", transport.uri("/hangar/v1/events",
                parts.isEmpty() ? null : String.join("&", parts)), null);
        var page = transport.read(reply, EVENT_PAGE);
        return page.value() == null ? List.of() : page.value();
    }

    /**
     * {@code PUT /hangar/v1/vmSizes/{name}}: adds a VM size to the catalog or changes one (administrators only). A
     * size that computes use keeps its family and vCPUs (409 {@code VmSizeInUse}).
     */
    public VirtualMachineSize putVmSize(VirtualMachineSize size) {
        Objects.requireNonNull(size.name(), "size.name");
        var reply = transport.send("PUT", transport.uri("/hangar/v1/vmSizes/"
                + java.net.URLEncoder.encode(size.name(), StandardCharsets.UTF_8), null), size);
        return transport.read(reply, VirtualMachineSize.class);
    }

    /** {@code DELETE /hangar/v1/vmSizes/{name}}: removes a size no compute uses; false when there was none. */
    public boolean deleteVmSize(String name) {
        var reply = transport.send("DELETE", transport.uri("/hangar/v1/vmSizes/"
                + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8), null), null);
        return reply.status() == 200;
    }

    /** Core usage and quotas of {@code location} (the workspace's when null), seen from {@code workspace}. */
    public QuotaClient quotas(WorkspaceRef workspace, String location) {
        return new QuotaClient(transport, workspace, location != null ? location : workspace.location());
    }

    /** The command jobs of one workspace. */
    public JobClient jobs(WorkspaceRef workspace) {
        return new JobClient(transport, workspace);
    }

    /** The file share of one workspace: each user's files, and what Hangar writes of its instances. */
    public FileClient files(WorkspaceRef workspace) {
        return new FileClient(transport, workspace);
    }

    /** The code snapshots of one workspace, which jobs run in. */
    public CodeClient codes(WorkspaceRef workspace) {
        return new CodeClient(transport, workspace);
    }

    /** The environments of one workspace: the container images its jobs run in. */
    public EnvironmentClient environments(WorkspaceRef workspace) {
        return new EnvironmentClient(transport, workspace);
    }

    /** The computes of one workspace. No request is made until a method of the result is called. */
    public ComputeClient workspace(WorkspaceRef workspace) {
        return new ComputeClient(transport, workspace);
    }

    /** The computes of the workspace with this ARM id ({@code /subscriptions/../workspaces/{name}}). */
    public ComputeClient workspace(String workspaceId) {
        return workspace(ArmIds.parseWorkspace(workspaceId));
    }

    /** Users, roles and role assignments, the assignments in this workspace. No request is made until asked. */
    public AccessClient access(WorkspaceRef workspace) {
        return new AccessClient(transport, workspace);
    }

    @Override
    public void close() {
        transport.close();
    }
}

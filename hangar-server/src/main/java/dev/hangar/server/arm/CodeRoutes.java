package dev.hangar.server.arm;

import dev.hangar.api.CodeVersionResource;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.Action;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.code.CodeSnapshot;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.StreamedUploads;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Code snapshots as Azure's code versions: {@code GET {ws}/codes/{digest}/versions/1}, and Hangar's
 * {@code PUT|GET .../versions/1/snapshot}, the tar.gz itself. An upload streams to disk (it is not held in memory and
 * not subject to the JSON body limit) after the caller was checked, then {@link CodeService} checks and keeps it.
 */
public final class CodeRoutes {
    /** The largest upload taken, compressed; what it unpacks to is limited by {@link Tarballs#CODE_LIMITS}. */
    public static final long MAX_UPLOAD_BYTES = Tarballs.CODE_LIMITS.maxBytes();
    /** Paths whose bodies the server's JSON body handler must leave alone: they are streamed here. */
    public static final String STREAMED_PATHS = ".*/codes/[^/]+/versions/[^/]+/snapshot/?$";

    private final CodeService codes;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final ArmUrls urls;
    private final Path uploads;

    /** @param uploads where uploads are written while they arrive */
    public CodeRoutes(CodeService codes, WorkspaceService workspaces, Authentication authentication, ArmUrls urls,
                      Path uploads) {
        this.codes = codes;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.urls = urls;
        this.uploads = uploads;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var version = ArmPaths.WORKSPACE_TEMPLATE + "/codes/{name}/versions/{version}";
        var versionPath = ArmPaths.WORKSPACE + "/codes/(?<name>[^/]+)/versions/(?<version>[^/]+)";
        routes.regex(HttpMethod.GET, versionPath + "/?", version, Guard.WORKSPACE_ACTION, Action.CODE_READ,
                blocking.handler(this::get));
        routes.regex(HttpMethod.GET, versionPath + "/snapshot/?", version + "/snapshot", Guard.WORKSPACE_ACTION,
                Action.CODE_READ, blocking.handler(this::download));
        // Nothing is read until the caller is known and allowed: the body waits.
        routes.regex(HttpMethod.PUT, versionPath + "/snapshot/?", version + "/snapshot", Guard.WORKSPACE_ACTION,
                Action.CODE_WRITE, StreamedUploads.paused(blocking, this::upload));
    }

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var snapshot = codes.get(caller, workspace, ctx.pathParam("name"), ctx.pathParam("version"));
        return Reply.ok(render(snapshot, workspace, urls.base(ctx)));
    }

    private Reply download(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var snapshot = codes.get(caller, workspace, ctx.pathParam("name"), ctx.pathParam("version"));
        return Reply.file(codes.archive(snapshot.digest()), "application/gzip", Map.of(
                "Content-Disposition", "attachment; filename=\"" + snapshot.digest() + ".tar.gz\"",
                "Content-Encoding", "identity"));
    }

    private Reply upload(RoutingContext ctx) throws Exception {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        codes.requireUpload(caller, workspace);
        return StreamedUploads.receiveWithin(ctx, uploads, "code", MAX_UPLOAD_BYTES, CodeRoutes::tooLarge, received -> {
            try (var in = Files.newInputStream(received)) {
                var uploaded = codes.upload(caller, workspace, ctx.pathParam("name"), ctx.pathParam("version"), in);
                return Reply.of(uploaded.created() ? 201 : 200, render(uploaded.snapshot(), workspace, urls.base(ctx)));
            }
        });
    }

    private static ApiException tooLarge() {
        return ApiException.tooLarge("CodeTooLarge", "The upload is larger than " + MAX_UPLOAD_BYTES + " bytes. Leave"
                + " data and environments out of the code folder (.amlignore or .gitignore).", null);
    }

    static CodeVersionResource render(CodeSnapshot snapshot, Workspace workspace, String baseUrl) {
        var id = CodeService.armId(workspace, snapshot.digest());
        var uri = baseUrl + id + "/snapshot";
        return new CodeVersionResource(id, CodeService.VERSION, CodeVersionResource.TYPE,
                new CodeVersionResource.Properties(uri, true, false, "Succeeded", null, snapshot.files(),
                        snapshot.bytes(), snapshot.createdOn(),
                        snapshot.createdBy() == null ? null : snapshot.createdBy().name()));
    }
}

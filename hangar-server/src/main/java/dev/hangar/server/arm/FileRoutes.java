package dev.hangar.server.arm;

import dev.hangar.api.FileEntry;
import dev.hangar.api.PagedList;
import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.files.FileShare;
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
import java.nio.file.Path;
import java.util.Map;

/**
 * The workspace's file share ({@link FileShare}): {@code GET {ws}/files/{path}} lists a folder (JSON) or sends a file
 * (its bytes; with {@code ?metadata=true}, its entry instead), {@code PUT} writes a file from the request's body,
 * streamed to disk, {@code DELETE} removes a file, or a folder ({@code ?recursive=true} when it is not empty). The path
 * is the rest of the URL, each segment percent-encoded.
 */
public final class FileRoutes {
    /** The largest file taken in one upload. */
    public static final long MAX_FILE_BYTES = 4L << 30;
    /** Paths whose bodies the server's JSON body handler must leave alone: they are streamed here. */
    public static final String STREAMED_PATHS = ".*/workspaces/[^/]+/files(/.*)?$";

    private final FileShare share;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Path uploads;

    /** @param uploads where uploads are written while they arrive: on the share's disk, so they move in whole */
    public FileRoutes(FileShare share, WorkspaceService workspaces, Authentication authentication, Path uploads) {
        this.share = share;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.uploads = uploads;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var template = ArmPaths.WORKSPACE_TEMPLATE + "/files/{path}";
        var path = ArmPaths.WORKSPACE + "/files(?<path>/.*)?";
        routes.regex(HttpMethod.GET, path, template, Guard.WORKSPACE_ACTION, Action.FILES_READ,
                blocking.handler(this::get));
        routes.regex(HttpMethod.PUT, path, template, Guard.WORKSPACE_ACTION, Action.FILES_WRITE,
                StreamedUploads.paused(blocking, this::put));
        routes.regex(HttpMethod.DELETE, path, template, Guard.WORKSPACE_ACTION, Action.FILES_DELETE,
                blocking.handler(this::delete));
    }

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    private static String path(RoutingContext ctx) {
        return ctx.pathParam("path");
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var path = path(ctx);
        var metadata = ctx.queryParam("metadata").stream().anyMatch("true"::equalsIgnoreCase);
        if (!metadata && !share.isFolder(caller, workspace, path)) {
            var file = share.file(caller, workspace, path);
            return Reply.file(file, "application/octet-stream", Map.of("Content-Disposition",
                    "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(file.getFileName().toString(),
                            java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"),
                    "Content-Encoding", "identity"));
        }
        var entries = share.list(caller, workspace, path).stream().map(FileRoutes::render).toList();
        return Reply.ok(new PagedList<>(entries, null));
    }

    private Reply put(RoutingContext ctx) throws Exception {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var path = path(ctx);
        share.requireWrite(caller, workspace, path);
        return StreamedUploads.receiveWithin(ctx, uploads, "file", MAX_FILE_BYTES, FileRoutes::tooLarge, received -> {
            var written = share.write(caller, workspace, path, received);
            return Reply.of(written.created() ? 201 : 200, render(written.entry()));
        });
    }

    private Reply delete(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var recursive = ctx.queryParam("recursive").stream().anyMatch("true"::equalsIgnoreCase);
        share.delete(caller, workspace(ctx), path(ctx), recursive);
        return Reply.status(200);
    }

    static FileEntry render(FileShare.Entry entry) {
        return new FileEntry(entry.name(), entry.path(), entry.folder() ? FileEntry.FOLDER : FileEntry.FILE,
                entry.size(), entry.modifiedOn());
    }

    private static ApiException tooLarge() {
        return ApiException.tooLarge("FileTooLarge", "A file of the share is at most " + MAX_FILE_BYTES + " bytes.",
                "path");
    }
}

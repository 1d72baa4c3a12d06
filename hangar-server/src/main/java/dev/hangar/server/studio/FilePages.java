package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.files.FilePath;
import dev.hangar.core.files.FileShare;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The workspace's file share ({@code /w/{ws}/files/{path}}): a folder's page, with its files and folders, the way
 * back up, and, where the reader may write, an upload (made by the page's script to the API's own {@code PUT}, so
 * that it streams to disk under the API's checks) and a new folder; a file's path sends the file. Deletes and new
 * folders are forms posted to {@code .../{path}/delete} and {@code .../{path}/folders}. Every read and change goes
 * through {@link FileShare}, with the API's rules: the roles' read, write and delete actions, and writes only in the
 * reader's own {@code Users/<name>/} unless they administer.
 */
final class FilePages {
    private static final String PATH = "/w/(?<ws>[^/]+)/files(?<path>/.*)?";
    private static final String TEMPLATE = "/w/{ws}/files/{path}";
    private static final DateTimeFormatter MODIFIED = StudioTimes.MINUTE;

    private final FileShare share;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;

    FilePages(FileShare share, WorkspaceService workspaces, Authentication authentication, Pages pages) {
        this.share = share;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.regex(HttpMethod.GET, PATH, TEMPLATE, Guard.WORKSPACE_ACTION, Action.FILES_READ,
                studio.handler(this::get));
        routes.regex(HttpMethod.POST, PATH + "/delete", TEMPLATE + "/delete", Guard.WORKSPACE_ACTION,
                Action.FILES_DELETE, studio.handler(this::delete));
        routes.regex(HttpMethod.POST, PATH + "/folders", TEMPLATE + "/folders", Guard.WORKSPACE_ACTION,
                Action.FILES_WRITE, studio.handler(this::makeFolder));
    }

    /** The studio's page of {@code path} in {@code workspace}'s share (the root's ends in a {@code /}). */
    static String href(String workspace, FilePath path) {
        return "/w/" + workspace + "/files" + (path.isRoot() ? "/" : encoded(path));
    }

    /** Each segment of {@code path} after a {@code /}, percent-encoded; empty for the root. */
    static String encoded(FilePath path) {
        var encoded = new StringBuilder();
        path.segments().forEach(segment -> encoded.append('/').append(encoded(segment)));
        return encoded.toString();
    }

    private Reply get(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var text = ctx.pathParam("path");
        boolean folder;
        try {
            folder = share.isFolder(reader, workspace, text);
        } catch (ApiException.NotFound missing) {
            // One's own folder is there to write in before anything is in it: an upload makes it.
            if (FilePath.of(text).equals(FileShare.own(reader)) && share.rights(reader, workspace).write()) {
                return folder(reader, workspace, FileShare.own(reader), List.of());
            }
            throw missing;
        }
        if (!folder) {
            var file = share.file(reader, workspace, text);
            return Reply.file(file, "application/octet-stream", Map.of("Content-Disposition",
                    "attachment; filename*=UTF-8''" + encoded(file.getFileName().toString()),
                    "Content-Encoding", "identity", "X-Content-Type-Options", "nosniff", "Cache-Control", "no-store"));
        }
        return folder(reader, workspace, FilePath.of(text));
    }

    private Reply folder(User reader, Workspace workspace, FilePath folder) {
        return folder(reader, workspace, folder, share.list(reader, workspace, folder.toString()));
    }

    private Reply folder(User reader, Workspace workspace, FilePath folder, List<FileShare.Entry> listed) {
        var entries = new ArrayList<>(listed);
        entries.sort(Comparator.comparing((FileShare.Entry entry) -> !entry.folder()));
        var rights = share.rights(reader, workspace);
        var rows = new ArrayList<FileRow>(entries.size());
        for (var entry : entries) {
            var path = FilePath.of(entry.path());
            var href = href(workspace.name(), path);
            rows.add(new FileRow(entry.name(), entry.path(), entry.folder(), href, entry.folder() ? ""
                    : size(entry.size()), entry.size(), MODIFIED.format(entry.modifiedOn()),
                    entry.modifiedOn().toString(), rights.delete() && FileShare.mayChange(reader, path)
                    ? href + "/delete" : null));
        }
        var writable = rights.write() && FileShare.mayChange(reader, folder.child("x"));
        var own = FileShare.own(reader);
        var title = folder.isRoot() ? "Files" : folder.name();
        var base = "/w/" + workspace.name() + "/files" + encoded(folder);
        return pages.render(200, "files.jte", Map.of("view", new FolderView(
                pages.chrome(title, reader, workspace.name(), "Files"), folder.toString(),
                href(workspace.name(), folder), crumbs(workspace.name(), folder), List.copyOf(rows),
                writable ? workspace.armId() + "/files" + encoded(folder) : null,
                writable ? base + "/folders" : null,
                !writable && rights.write() && !folder.within(own) ? new Link(own.toString(),
                        href(workspace.name(), own)) : null)));
    }

    private Reply delete(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        // Refused before anything of the request is read.
        var path = share.requireDelete(caller, workspace, ctx.pathParam("path"));
        var form = ctx.request().formAttributes();
        var recursive = "yes".equals(form.get("recursive"));
        var parent = parent(path);
        if (!"yes".equals(form.get("confirm"))) {
            var folder = share.isFolder(caller, workspace, path.toString());
            var chrome = pages.chrome("Delete " + path.name(), caller, workspace.name(), "Files");
            return pages.render(200, "confirmDelete.jte", Map.of("chrome", chrome, "name", path.name(),
                    "consequence", folder ? "The folder " + path + " and everything in it are deleted from the"
                            + " workspace's file share. This cannot be undone." : "The file " + path + " is deleted"
                            + " from the workspace's file share. This cannot be undone.",
                    "fields", folder ? Map.of("confirm", "yes", "recursive", "yes") : Map.of("confirm", "yes"),
                    "action", href(workspace.name(), path) + "/delete", "back", href(workspace.name(), parent)));
        }
        share.delete(caller, workspace, path.toString(), recursive);
        return done(ctx, caller, workspace, parent, "Deleted " + path + ".");
    }

    private Reply makeFolder(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var parent = ctx.pathParam("path");
        // The share refuses a caller who may not write before it looks at the name.
        var made = share.makeFolder(caller, workspace, parent, ctx.request().getFormAttribute("name"));
        return done(ctx, caller, workspace, FilePath.of(parent), (made.created() ? "Made the folder "
                : "The folder is there already: ") + made.entry().path() + ".");
    }

    /**
     * After a change, the folder as it is now: to a page's request, its page (whose list the page swaps in) and a
     * notice; a browser without scripts is sent to it.
     */
    private Reply done(RoutingContext ctx, User caller, Workspace workspace, FilePath folder, String notice) {
        if (StudioRoute.isHtmx(ctx)) {
            return folder(caller, workspace, folder).withHeaders(Map.of("HX-Trigger",
                    ComputeActions.toast(notice)));
        }
        return Reply.status(303).withHeaders(Map.of("Location", href(workspace.name(), folder),
                "Cache-Control", "no-store"));
    }

    private static List<Link> crumbs(String workspace, FilePath folder) {
        var crumbs = new ArrayList<Link>();
        var path = FilePath.of("");
        crumbs.add(new Link("Files", href(workspace, path)));
        for (var segment : folder.segments()) {
            path = path.child(segment);
            crumbs.add(new Link(segment, href(workspace, path)));
        }
        return List.copyOf(crumbs);
    }

    private static FilePath parent(FilePath path) {
        return new FilePath(path.segments().subList(0, Math.max(0, path.segments().size() - 1)));
    }

    /** A size as people read it: bytes, then KiB, MiB, GiB with one decimal. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        var units = new String[] {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String encoded(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.size.VmSizeService;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The VM size catalog, for administrators ({@code /admin/sizes}): every size with its family, vCPUs, memory, GPUs and
 * price; a size added or replaced from a form and one deleted, through {@link VmSizeService} with the API's checks
 * ({@code PUT} and {@code DELETE /hangar/v1/vmSizes/{name}}): a size computes use keeps its family and vCPUs and
 * cannot be deleted.
 */
final class SizePages {
    static final String PATH = "/admin/sizes";

    private final VmSizeService service;
    private final VmSizeCatalog catalog;
    private final Authentication authentication;
    private final Pages pages;
    private final Supplier<Workspace> defaultWorkspace;

    SizePages(VmSizeService service, VmSizeCatalog catalog, Authentication authentication, Pages pages,
              Supplier<Workspace> defaultWorkspace) {
        this.service = service;
        this.catalog = catalog;
        this.authentication = authentication;
        this.pages = pages;
        this.defaultWorkspace = defaultWorkspace;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.ADMIN, Action.VM_SIZE_WRITE, studio.handler(ctx -> {
            var reader = authentication.requireForPage(ctx);
            service.requireWrite(reader, "*");
            return page(reader, 200, null);
        }));
        routes.path(HttpMethod.POST, PATH, PATH, Guard.ADMIN, Action.VM_SIZE_WRITE, studio.handler(this::put));
        routes.path(HttpMethod.POST, PATH + "/:size/delete", PATH + "/{size}/delete", Guard.ADMIN,
                Action.VM_SIZE_DELETE, studio.handler(this::delete));
    }

    private Reply page(User reader, int status, String done) {
        var sizes = catalog.all().stream().sorted(Comparator.comparing((VmSize size) -> size.family().toLowerCase(
                java.util.Locale.ROOT)).thenComparing(size -> size.name().toLowerCase(java.util.Locale.ROOT))).toList();
        return pages.render(status, "sizes.jte", Map.of("view", new SizesView(pages.chrome("VM sizes", reader,
                defaultWorkspace.get().name(), "VM sizes"), sizes, done)));
    }

    private Reply put(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var form = ctx.request().formAttributes();
        // Refused before the form is looked at.
        service.requireWrite(caller, String.valueOf(form.get("name")));
        // As the API takes a size without them: no low-priority price, for both compute types.
        var put = service.put(caller, new VmSize(form.get("name"), form.get("family"), whole(form, "vcpus"),
                decimal(form, "memory", Double.NaN), whole(form, "gpus"), decimal(form, "price", 0), 0, false,
                VmSizeCatalog.COMPUTE_TYPES));
        return page(caller, put.created() ? 201 : 200, (put.created() ? "Added " : "Replaced ") + put.size().name()
                + ".");
    }

    private Reply delete(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var name = ctx.pathParam("size");
        if (!service.delete(caller, name)) {
            throw ApiException.notFound("VmSizeNotFound", "No VM size is named '" + name + "'.");
        }
        return Reply.status(303).withHeaders(Map.of("Location", PATH, "Cache-Control", "no-store"));
    }

    private static int whole(MultiMap form, String field) {
        var text = form.get(field);
        try {
            return text == null || text.isBlank() ? 0 : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("InvalidVmSizeDefinition", field + " must be a whole number; got '" + text
                    + "'.", field);
        }
    }

    private static double decimal(MultiMap form, String field, double otherwise) {
        var text = form.get(field);
        try {
            return text == null || text.isBlank() ? otherwise : Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("InvalidVmSizeDefinition", field + " must be a number; got '" + text
                    + "'.", field);
        }
    }
}

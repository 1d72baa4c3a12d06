package dev.hangar.server.arm;

import dev.hangar.api.VirtualMachineSize;
import dev.hangar.api.VirtualMachineSizeList;
import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.size.VmSizeService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The VM sizes of a location ({@code locations/{loc}/vmSizes}, Azure's wire format; every location offers the same
 * catalog), and administrators' changes to the catalog at {@code /hangar/v1/vmSizes/{name}}, whose body is one size
 * in the same format.
 */
public final class VmSizeRoutes {
    private static final String LINUX = "Linux";

    private final VmSizeCatalog sizes;
    private final VmSizeService service;
    private final Authentication authentication;

    public VmSizeRoutes(VmSizeCatalog sizes, VmSizeService service, Authentication authentication) {
        this.sizes = sizes;
        this.service = service;
        this.authentication = authentication;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        routes.regex(HttpMethod.GET, ArmPaths.VM_SIZES, ArmPaths.LOCATION_TEMPLATE + "/vmSizes", Guard.SIGNED_IN,
                null, blocking.handler(this::list));
        routes.path(HttpMethod.PUT, "/hangar/v1/vmSizes/:size", "/hangar/v1/vmSizes/{size}", Guard.ADMIN,
                Action.VM_SIZE_WRITE, blocking.handler(this::put));
        routes.path(HttpMethod.DELETE, "/hangar/v1/vmSizes/:size", "/hangar/v1/vmSizes/{size}", Guard.ADMIN,
                Action.VM_SIZE_DELETE, blocking.handler(this::delete));
    }

    private Reply list(RoutingContext ctx) {
        authentication.require(ctx);
        var wanted = ctx.request().getParam("computeType");
        var list = sizes.all().stream()
                .filter(size -> wanted == null || size.computeTypes().stream().anyMatch(wanted::equalsIgnoreCase))
                .map(VmSizeRoutes::render).toList();
        return Reply.ok(VirtualMachineSizeList.of(list));
    }

    private Reply put(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var name = ctx.pathParam("size");
        service.requireWrite(caller, name);
        var body = Requests.body(ctx, VirtualMachineSize.class, "a VM size: {\"family\":...,\"vCPUs\":...,"
                + "\"memoryGB\":...}", WireSchemas.VM_SIZE);
        if (body.name() != null && !body.name().equalsIgnoreCase(name)) {
            throw ApiException.badRequest(ErrorCodes.INVALID_VM_SIZE, "The body names size '" + body.name()
                    + "' but the path names '" + name + "'.", "name");
        }
        var put = service.put(caller, parse(name, body));
        return Reply.of(put.created() ? 201 : 200, render(put.size()));
    }

    private Reply delete(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        return Reply.status(service.delete(caller, ctx.pathParam("size")) ? 200 : 204);
    }

    /** The size a body describes; prices default to 0 (hardware a team owns) and compute types to both. */
    private static VmSize parse(String name, VirtualMachineSize body) {
        double standard = 0;
        double lowPriority = 0;
        if (body.estimatedVMPrices() != null && body.estimatedVMPrices().values() != null) {
            for (var price : body.estimatedVMPrices().values()) {
                if (price.osType() != null && !LINUX.equalsIgnoreCase(price.osType())) {
                    continue;
                }
                if ("Standard".equalsIgnoreCase(price.vmTier())) {
                    standard = price.retailPrice();
                } else if ("LowPriority".equalsIgnoreCase(price.vmTier()) || "Spot".equalsIgnoreCase(price.vmTier())) {
                    lowPriority = price.retailPrice();
                }
            }
        }
        var types = body.supportedComputeTypes() == null ? VmSizeCatalog.COMPUTE_TYPES : body.supportedComputeTypes();
        return new VmSize(name, body.family(), body.vCPUs(), body.memoryGB(), body.gpus(), standard, lowPriority,
                body.lowPriorityCapable(), types);
    }

    static VirtualMachineSize render(VmSize size) {
        var prices = new VirtualMachineSize.EstimatedVmPrices("USD", "OneHour", List.of(
                new VirtualMachineSize.EstimatedVmPrice(size.pricePerHour(), LINUX, "Standard"),
                new VirtualMachineSize.EstimatedVmPrice(size.lowPriorityPricePerHour(), LINUX, "LowPriority")));
        return new VirtualMachineSize(size.name(), size.family(), size.vCpus(), size.gpus(), 1047552,
                (int) Math.round(size.memoryGb() * 2048), size.memoryGb(), size.lowPriorityCapable(), true, prices,
                size.computeTypes());
    }
}

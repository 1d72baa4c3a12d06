package dev.hangar.core.custom;

import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.error.ApiException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Hangar takes as an instance's custom services, checked before anything is recorded: names that make gateway
 * paths and container names, none twice and none of Hangar's own apps; images named as an engine names them; ports
 * in range and none claimed twice; variables with shell names; and volumes of the instance's own folders only
 * ({@link VolumeSource}), each at a target of its own. Each refusal is a 400 with a stable code and the field it is
 * about.
 */
public final class CustomServiceRules {
    public static final String INVALID = "InvalidCustomService";
    /** A volume whose source is no folder of the instance (a host path, or a folder inside one). */
    public static final String VOLUME_REFUSED = "CustomServiceVolumeNotAllowed";
    /** A privileged container: it could reach the host's devices and everything of it. */
    public static final String PRIVILEGED_REFUSED = "PrivilegedCustomServiceNotAllowed";
    /** A backend that runs no custom services (the host-process backend) was asked to. */
    public static final String UNSUPPORTED = "CustomServicesNotSupported";
    /** The home of the instance's user, as Azure's clients name the instance's folders. */
    public static final String HOME = "/home/azureuser";
    public static final int MAX_SERVICES = 10;
    public static final int MAX_ENDPOINTS = 10;
    public static final int MAX_VOLUMES = 10;
    public static final int MAX_VARIABLES = 100;
    /**
     * Ports an Azure instance uses itself (SSH, Jupyter), which Azure's clients cannot have a service published at;
     * refused here too so that a definition that works on Hangar works on Azure.
     */
    public static final Set<Integer> RESERVED_PUBLISHED = Set.of(22, 8888);

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Set<String> SYSTEM_TARGETS = Set.of("/proc", "/sys", "/dev");

    private CustomServiceRules() {
    }

    /**
     * Refuses the first rule {@code services} break.
     *
     * @param field the path of the list in the request, e.g. {@code properties.properties.customServices}
     */
    public static void check(List<CustomService> services, String field) {
        if (services.size() > MAX_SERVICES) {
            throw invalid("An instance has at most " + MAX_SERVICES + " custom services, not " + services.size()
                    + ".", field);
        }
        var names = new HashSet<String>();
        var published = new HashMap<Integer, String>();
        for (int i = 0; i < services.size(); i++) {
            var service = services.get(i);
            var at = field + "[" + i + "]";
            name(service.name(), "A custom service's", at + ".name");
            var key = service.name().toLowerCase(Locale.ROOT);
            if (key.equals(InstanceApps.JUPYTER) || key.equals(InstanceApps.TERMINAL)) {
                throw invalid("'" + service.name() + "' is the name of an app every instance has; name the"
                        + " service otherwise.", at + ".name");
            }
            if (!names.add(key)) {
                throw invalid("Two custom services are named '" + service.name() + "'; each needs a name of its"
                        + " own (names are compared without case).", at + ".name");
            }
            if (service.image() == null || !IMAGE.matcher(service.image()).matches()) {
                throw invalid("image.reference must name an image the container engine has, such as"
                        + " localhost/rstudio:latest, not '" + service.image() + "'.", at + ".image.reference");
            }
            endpoints(service, at, published);
            variables(service, at);
            volumes(service, at);
        }
    }

    private static void endpoints(CustomService service, String at, HashMap<Integer, String> published) {
        if (service.endpoints().size() > MAX_ENDPOINTS) {
            throw invalid("A custom service has at most " + MAX_ENDPOINTS + " endpoints.", at + ".endpoints");
        }
        var names = new HashSet<String>();
        var targets = new HashSet<Integer>();
        for (int j = 0; j < service.endpoints().size(); j++) {
            var endpoint = service.endpoints().get(j);
            var field = at + ".endpoints[" + j + "]";
            name(endpoint.name(), "An endpoint's", field + ".name");
            if (!names.add(endpoint.name().toLowerCase(Locale.ROOT))) {
                throw invalid("Service '" + service.name() + "' has two endpoints named '" + endpoint.name()
                        + "'.", field + ".name");
            }
            port(endpoint.target(), "target", field + ".target");
            if (!targets.add(endpoint.target())) {
                throw invalid("Service '" + service.name() + "' has two endpoints on port " + endpoint.target()
                        + ".", field + ".target");
            }
            if (endpoint.published() != null) {
                port(endpoint.published(), "published", field + ".published");
                if (RESERVED_PUBLISHED.contains(endpoint.published())) {
                    throw invalid("Port " + endpoint.published() + " is the instance's own (22 is SSH's, 8888"
                            + " Jupyter's); publish the endpoint at another port.", field + ".published");
                }
                var other = published.putIfAbsent(endpoint.published(), service.displayName(endpoint));
                if (other != null) {
                    throw invalid("Port " + endpoint.published() + " is published by " + other + " already; each"
                            + " endpoint needs a published port of its own.", field + ".published");
                }
            }
            var hostIp = endpoint.hostIp();
            if (hostIp != null && !hostIp.isEmpty() && !hostIp.equals("127.0.0.1")) {
                throw invalid("hostIp must be empty or 127.0.0.1, not '" + hostIp + "': Hangar publishes custom"
                        + " services to its gateway only, which opens them for the instance's owner.",
                        field + ".hostIp");
            }
        }
    }

    private static void variables(CustomService service, String at) {
        if (service.environment().size() > MAX_VARIABLES) {
            throw invalid("A custom service has at most " + MAX_VARIABLES + " environment variables.",
                    at + ".environmentVariables");
        }
        for (var entry : service.environment().entrySet()) {
            if (!VARIABLE.matcher(entry.getKey()).matches()) {
                throw invalid("'" + entry.getKey() + "' is no variable name: letters, digits and underscores, not"
                        + " starting with a digit.", at + ".environmentVariables." + entry.getKey());
            }
            if (entry.getValue() == null || entry.getValue().indexOf('\0') >= 0) {
                throw invalid("Variable " + entry.getKey() + " needs a value without NUL characters.",
                        at + ".environmentVariables." + entry.getKey() + ".value");
            }
        }
    }

    private static void volumes(CustomService service, String at) {
        if (service.volumes().size() > MAX_VOLUMES) {
            throw invalid("A custom service has at most " + MAX_VOLUMES + " volumes.", at + ".volumes");
        }
        var targets = new HashSet<String>();
        for (int k = 0; k < service.volumes().size(); k++) {
            var volume = service.volumes().get(k);
            var field = at + ".volumes[" + k + "]";
            if (VolumeSource.of(volume.source()).isEmpty()) {
                throw ApiException.badRequest(VOLUME_REFUSED, "A custom service may see the instance's home ("
                        + VolumeSource.HOME.path() + "), its file share (" + VolumeSource.FILE_SHARE.path()
                        + ") or " + VolumeSource.CLOUD_FILES.path() + ", not '" + volume.source() + "': no path"
                        + " of the host, nor a folder inside those.", field + ".source");
            }
            var target = volume.target();
            if (target == null || !target.startsWith("/") || target.length() > 1_024 || target.equals("/")
                    || target.contains("//") || target.indexOf('\0') >= 0 || target.indexOf(':') >= 0
                    || java.util.Arrays.stream(target.split("/")).anyMatch(part -> part.equals("..")
                    || part.equals("."))) {
                throw invalid("A volume's target is an absolute path in the service's container, other than '/',"
                        + " without '.', '..' or ':', not '" + target + "'.", field + ".target");
            }
            var normal = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
            if (SYSTEM_TARGETS.stream().anyMatch(system -> normal.equals(system) || normal.startsWith(system + "/"))) {
                throw invalid("A volume cannot cover " + normal + ", which the container's runtime provides.",
                        field + ".target");
            }
            if (!targets.add(normal)) {
                throw invalid("Service '" + service.name() + "' mounts two volumes at " + normal + ".",
                        field + ".target");
            }
        }
    }

    private static void name(String name, String whose, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid(whose + " name is 1 to 32 letters, digits, '-' and '_', starting with a letter, not '"
                    + name + "'.", field);
        }
    }

    private static void port(int port, String which, String field) {
        if (port < 1 || port > 65_535) {
            throw invalid("A " + which + " port is from 1 to 65535, not " + port + ".", field);
        }
    }

    private static ApiException invalid(String message, String field) {
        return ApiException.badRequest(INVALID, message, field);
    }

    /** The refusal of a backend that runs no custom services. */
    public static ApiException unsupported(String backend) {
        return ApiException.badRequest(UNSUPPORTED, "Custom services run as containers beside an instance, which"
                + " the '" + backend + "' backend does not make. Create the instance on the container backend"
                + " (backend.default=docker), or without customServices.", "properties.properties.customServices");
    }
}

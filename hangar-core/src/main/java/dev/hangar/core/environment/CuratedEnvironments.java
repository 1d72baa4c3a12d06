package dev.hangar.core.environment;

import dev.hangar.core.workspace.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The environments Hangar ships, in every workspace and read-only, as Azure ships its curated ones. Each means "the
 * compute's own environment": a job in it runs as a job without an environment does, in the instance's (or node's)
 * Python, packages and Jupyter kernels on the host backend, in the instance's container, made from the instance
 * image, on the container backend, and on the nodes of an attached engine. Azure's clients need an environment for
 * every job; these are the ones to name when the compute's own is wanted.
 *
 * <p>Azure's own curated environments ({@code AzureML-*}, {@code azureml://registries/azureml/...}) promise packages
 * Hangar's computes do not have, so they are refused by name rather than mapped to these.
 *
 * <p>Immutable and thread-safe.
 */
public final class CuratedEnvironments {
    /** The compute's own environment. */
    public static final String INSTANCE = "hangar-instance";
    public static final String VERSION = "1";
    /** Azure's {@code environmentType} of an environment its service curates. */
    public static final String CURATED = "Curated";
    /** Azure's {@code environmentType} of one a user recorded. */
    public static final String USER_CREATED = "UserCreated";
    /** When version 1 was defined: versions of curated environments are dated by Hangar's release, not by a store. */
    private static final Instant DEFINED = Instant.parse("2026-12-07T00:00:00Z");
    private static final String DESCRIPTION = "The compute's own environment, curated by Hangar: the instance's"
            + " Python, packages and Jupyter kernels on the host backend, the instance image on the container backend,"
            + " the nodes' own on an attached engine. A job in it runs as a job without an environment does.";
    private static final String AZURE_PREFIX = "azureml-";
    private static final String REGISTRY_PREFIX = "azureml://registries/";

    private final String instanceImage;

    /** @param instanceImage Hangar's instance image ({@code backend.docker.image}), which version 1 names */
    public CuratedEnvironments(String instanceImage) {
        if (instanceImage == null || instanceImage.isBlank()) {
            throw new IllegalArgumentException("the instance image must be named");
        }
        this.instanceImage = instanceImage.strip();
    }

    /** Whether {@code name} is a curated environment's, in any case: such a name is never a user's. */
    public boolean isCurated(String name) {
        return name != null && name.strip().equalsIgnoreCase(INSTANCE);
    }

    /** The curated version, in {@code workspace}, when {@code name} and {@code version} name one. */
    public Optional<EnvironmentVersion> find(Workspace workspace, String name, String version) {
        return isCurated(name) && VERSION.equals(version) ? Optional.of(instance(workspace)) : Optional.empty();
    }

    /** A curated environment's versions, newest first; empty when {@code name} names none. */
    public List<EnvironmentVersion> versions(Workspace workspace, String name) {
        return isCurated(name) ? List.of(instance(workspace)) : List.of();
    }

    /** The latest version of each curated environment. */
    public List<EnvironmentVersion> latest(Workspace workspace) {
        return List.of(instance(workspace));
    }

    /**
     * Whether {@code image} is Hangar's instance image: the configured one, or another tag or digest of its
     * repository (each build of {@code images/instance} is tagged by its recipe's hash as well as {@code latest}).
     */
    public boolean isInstanceImage(String image) {
        return image != null && repository(image.strip()).equals(repository(instanceImage));
    }

    /** Whether an environment reference names one of Azure's curated environments, which Hangar does not have. */
    public static boolean isAzureCurated(String reference) {
        if (reference == null) {
            return false;
        }
        var text = reference.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith(REGISTRY_PREFIX)) {
            return true;
        }
        var name = text.startsWith("azureml:") ? text.substring("azureml:".length()) : text;
        var cut = name.lastIndexOf("/environments/");
        if (cut >= 0) {
            name = name.substring(cut + "/environments/".length());
        }
        return name.startsWith(AZURE_PREFIX);
    }

    /** Hangar's curated environments as a job names them, for messages that point to them. */
    public String listed() {
        return "azureml:" + INSTANCE + "@latest (or azureml:" + INSTANCE + ":" + VERSION + "): the compute's own"
                + " environment";
    }

    private EnvironmentVersion instance(Workspace workspace) {
        return new EnvironmentVersion(workspace.id(), INSTANCE, VERSION, instanceImage, DESCRIPTION,
                null, false, null, DEFINED);
    }

    /** An image reference without its tag or digest. */
    private static String repository(String image) {
        var at = image.indexOf('@');
        var named = at >= 0 ? image.substring(0, at) : image;
        var colon = named.lastIndexOf(':');
        return colon > named.lastIndexOf('/') ? named.substring(0, colon) : named;
    }
}

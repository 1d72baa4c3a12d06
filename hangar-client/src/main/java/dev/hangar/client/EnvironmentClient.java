package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.api.EnvironmentContainerResource;
import dev.hangar.api.EnvironmentVersionResource;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The environments of one workspace ({@code workspaces/{ws}/environments/{name}/versions/{version}}): the container
 * images jobs run in, named and versioned as Azure's are. Hangar runs images and builds none, so a version is an image
 * reference, and a version never changes once recorded. Hangar's curated environments ({@code hangar-instance}: the
 * compute's own environment) are in every workspace, read-only. Obtained from {@link HangarClient#environments}. Thread-safe;
 * every method blocks.
 */
public final class EnvironmentClient {
    /** The name {@code az ml job create} gives the versions it records for a job's inline image. */
    public static final String ANONYMOUS = "CliV2AnonymousEnvironment";
    private static final TypeReference<PagedList<EnvironmentVersionResource>> PAGE = new TypeReference<>() { };
    private static final TypeReference<PagedList<EnvironmentContainerResource>> CONTAINERS =
            new TypeReference<>() { };
    /** Hex characters of an anonymous version: 128 bits, as long as az's own (an MD5) and far from colliding. */
    private static final int ANONYMOUS_VERSION_LENGTH = 32;

    private final Transport transport;
    private final String path;

    EnvironmentClient(Transport transport, WorkspaceRef workspace) {
        this.transport = transport;
        this.path = ArmIds.workspacePath(Objects.requireNonNull(workspace, "workspace")) + "/environments";
    }

    /**
     * Records version {@code version} of environment {@code name}, running {@code image}; {@code description} may be
     * null. Sending the same image again returns the version as it is (a retry); another image for a recorded version
     * is 409 {@code EnvironmentVersionExists}.
     */
    public EnvironmentVersionResource createVersion(String name, String version, String image, String description) {
        return createVersion(name, version, new EnvironmentVersionResource.Properties(image, description, null, null,
                null, null, null, null, null));
    }

    /**
     * {@link #createVersion(String, String, String, String)} with every property the caller sets (tags,
     * {@code isAnonymous}); null properties are not sent. A {@code build} or {@code condaFile} is refused by the
     * server ({@code EnvironmentBuildUnsupported}).
     */
    public EnvironmentVersionResource createVersion(String name, String version,
                                                    EnvironmentVersionResource.Properties properties) {
        Objects.requireNonNull(properties, "properties");
        var reply = transport.send("PUT", uri(name, version),
                new EnvironmentVersionResource(null, null, null, properties));
        return transport.read(reply, EnvironmentVersionResource.class);
    }

    /** One version; 404 {@code ResourceNotFound} when the workspace has no such version. */
    public EnvironmentVersionResource get(String name, String version) {
        return transport.read(transport.send("GET", uri(name, version), null), EnvironmentVersionResource.class);
    }

    /**
     * Every environment of the workspace, each with its latest version, read page by page: Hangar's curated ones
     * ({@link EnvironmentContainerResource.Properties#curated()}) first, then the workspace's own by name.
     */
    public List<EnvironmentContainerResource> list() {
        var all = new ArrayList<EnvironmentContainerResource>();
        var seen = new HashSet<URI>();
        var next = transport.uri(path, null);
        while (next != null && seen.add(next)) {
            var page = transport.read(transport.send("GET", next, null), CONTAINERS);
            if (page.value() != null) {
                all.addAll(page.value());
            }
            next = page.nextLink() == null ? null : transport.followed(page.nextLink());
        }
        return all;
    }

    /** Every version of environment {@code name}, newest first, read page by page. */
    public List<EnvironmentVersionResource> versions(String name) {
        var all = new ArrayList<EnvironmentVersionResource>();
        var seen = new HashSet<URI>();
        var next = transport.uri(path + "/" + ArmIds.segment(name) + "/versions", null);
        while (next != null && seen.add(next)) {
            var page = transport.read(transport.send("GET", next, null), PAGE);
            if (page.value() != null) {
                all.addAll(page.value());
            }
            next = page.nextLink() == null ? null : transport.followed(page.nextLink());
        }
        return all;
    }

    /**
     * Records the anonymous version az makes for a job's inline {@code image} ({@value #ANONYMOUS}, version
     * {@link #anonymousVersion}) and returns the id a job names it by, {@code azureml:<name>:<version>}. The version
     * follows from the image alone, so the same image submitted again finds its version recorded and reuses it.
     *
     * @throws HangarException {@code EnvironmentImageRequired} before sending anything when {@code image} is blank
     */
    public String createAnonymousVersion(String image) {
        if (image == null || image.isBlank()) {
            throw HangarException.of(HangarException.Kind.INVALID_INPUT, "EnvironmentImageRequired", "an inline"
                    + " environment needs the container image its job runs in", "PUT", null, null);
        }
        var reference = image.strip();
        var version = anonymousVersion(reference);
        createVersion(ANONYMOUS, version, new EnvironmentVersionResource.Properties(reference, null, null, true, null,
                null, null, null, null));
        return id(ANONYMOUS, version);
    }

    /** The version of {@value #ANONYMOUS} for {@code image}: the first 32 hex characters of its SHA-256 (stripped). */
    public static String anonymousVersion(String image) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest(image.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, ANONYMOUS_VERSION_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** How a job names a version: {@code azureml:<name>:<version>}. */
    public static String id(String name, String version) {
        return "azureml:" + name + ":" + version;
    }

    private URI uri(String name, String version) {
        return transport.uri(path + "/" + ArmIds.segment(name) + "/versions/" + ArmIds.segment(version), null);
    }
}

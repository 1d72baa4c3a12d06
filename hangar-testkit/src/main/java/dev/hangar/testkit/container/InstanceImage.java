package dev.hangar.testkit.container;

import java.util.List;
import java.util.Map;

/**
 * The compute instance image the container tests run: {@code localhost/hangar-instance:<recipe hash>}, built by
 * {@code images/instance/build.sh} (which {@code bin/test} runs before the tests and names in
 * {@value #VARIABLE}).
 */
public final class InstanceImage {
    /** The environment variable {@code bin/test} exports the image reference in. */
    public static final String VARIABLE = "HANGAR_TEST_INSTANCE_IMAGE";
    static final String BUILD_SCRIPT = "images/instance/build.sh";

    private static String reference;

    private InstanceImage() {
    }

    /**
     * The reference of the instance image, present in Podman's local storage: {@value #VARIABLE} when it is set,
     * else the reference of the current recipe ({@code images/instance/build.sh --print-ref} in this checkout).
     *
     * @throws IllegalStateException when Podman lacks the image; the message names the command that builds it
     */
    public static synchronized String reference() {
        if (reference == null) {
            var named = System.getenv(VARIABLE);
            var candidate = named == null || named.isBlank() ? currentRecipe() : named.strip();
            requirePresent(candidate, named != null && !named.isBlank());
            reference = candidate;
        }
        return reference;
    }

    private static String currentRecipe() {
        var script = Checkout.file(BUILD_SCRIPT);
        var lines = Commands.run(List.of(script.toString(), "--print-ref"), Map.of()).requireSuccess().lines();
        return lines.getLast();
    }

    static void requirePresent(String candidate, boolean fromVariable) {
        var podman = PodmanInstallation.podman();
        var exists = Commands.run(List.of(podman.toString(), "image", "exists", candidate), Map.of());
        if (exists.succeeded()) {
            return;
        }
        if (exists.exitCode() != 1) {
            exists.requireSuccess();
        }
        throw new IllegalStateException("Podman has no image " + candidate
                + (fromVariable ? " (named by " + VARIABLE + ")" : " (the current recipe in images/instance)")
                + ". Build it (2 to 3 minutes, as root) with: " + buildCommand()
                + "   (bin/test builds it before the tests)");
    }

    private static String buildCommand() {
        try {
            return Checkout.file(BUILD_SCRIPT).toString();
        } catch (IllegalStateException notInCheckout) {
            return BUILD_SCRIPT;
        }
    }
}

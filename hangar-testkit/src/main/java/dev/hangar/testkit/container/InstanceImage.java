package dev.hangar.testkit.container;

import dev.hangar.testkit.process.CommandResult;
import dev.hangar.testkit.process.Commands;
import java.util.List;
import java.util.Map;

/**
 * The compute instance images the container tests run: {@code localhost/hangar-instance:<recipe hash>}, built by
 * {@code images/instance/build.sh} (which {@code bin/test} runs before the tests and names in {@value #VARIABLE}), and
 * the same with R, {@code <recipe hash>-r}, built by {@code build.sh --with-r} (named in {@value #R_VARIABLE}).
 */
public final class InstanceImage {
    /** The environment variable {@code bin/test} exports the image reference in. */
    public static final String VARIABLE = "HANGAR_TEST_INSTANCE_IMAGE";
    /** The environment variable {@code bin/test} exports the reference of the image with R in. */
    public static final String R_VARIABLE = "HANGAR_TEST_INSTANCE_IMAGE_R";
    static final String BUILD_SCRIPT = "images/instance/build.sh";

    private static String reference;
    private static String withR;

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
            reference = present(VARIABLE, List.of());
        }
        return reference;
    }

    /** {@link #reference()} of the image with R and its Jupyter kernel ({@code build.sh --with-r}). */
    public static synchronized String withR() {
        if (withR == null) {
            withR = present(R_VARIABLE, List.of("--with-r"));
        }
        return withR;
    }

    private static String present(String variable, List<String> options) {
        var named = System.getenv(variable);
        var candidate = named == null || named.isBlank() ? currentRecipe(options) : named.strip();
        requirePresent(candidate, named != null && !named.isBlank() ? variable : null, options);
        return candidate;
    }

    private static String currentRecipe(List<String> options) {
        var command = new java.util.ArrayList<>(List.of(Checkout.file(BUILD_SCRIPT).toString(), "--print-ref"));
        command.addAll(options);
        return Commands.run(command, Map.of()).requireSuccess().lines().getLast();
    }

    /** @param variable the variable that named {@code candidate}, or null for the current recipe */
    static void requirePresent(String candidate, String variable, List<String> options) {
        var podman = PodmanInstallation.podman();
        var exists = Commands.run(List.of(podman.toString(), "image", "exists", candidate), Map.of());
        if (exists.succeeded()) {
            return;
        }
        if (exists.exitCode() != 1) {
            exists.requireSuccess();
        }
        throw new IllegalStateException("Podman has no image " + candidate
                + (variable != null ? " (named by " + variable + ")" : " (the current recipe in images/instance)")
                + ". Build it (2 to 3 minutes, as root) with: " + buildCommand()
                + (options.isEmpty() ? "" : " " + String.join(" ", options))
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

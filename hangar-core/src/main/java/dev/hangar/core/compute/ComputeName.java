package dev.hangar.core.compute;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.name.DeviceNames;
import java.util.Optional;
import java.util.regex.Pattern;

/** The naming rule of computes: 3 to 24 letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
public final class ComputeName {
    private static final Pattern RULE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]");

    /**
     * The name jobs give the submitter's own machine ({@code compute: local}), never a compute's. Checked only for new
     * computes: one made before the name was reserved keeps working, but jobs sent to {@code local} run locally.
     */
    public static final String RESERVED_LOCAL = "local";

    private ComputeName() {
    }

    /** Why {@code name} breaks the rule, or empty when it follows it. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("A compute name is required.");
        }
        if (DeviceNames.isReserved(name)) {
            return Optional.of("Compute name '" + name + "' is invalid: it is a device name (CON, PRN, AUX, NUL, COM1"
                    + " to COM9, LPT1 to LPT9).");
        }
        if (name.equalsIgnoreCase(RESERVED_LOCAL)) {
            return Optional.of("Compute name '" + name + "' is reserved: a job whose compute is 'local' runs on its"
                    + " submitter's own machine (a local run). Choose another name.");
        }
        if (RULE.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of("Compute name '" + name + "' is invalid: it must be 3 to 24 characters of letters, digits"
                + " and hyphens, start with a letter and not end with a hyphen.");
    }

    public static void check(String name) {
        problem(name).ifPresent(message -> {
            throw ApiException.badRequest("InvalidComputeName", message, "name");
        });
    }
}

package dev.hangar.core.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a backend's settings ({@code backend.<name>.<key>}) the same way for every backend: unknown keys are
 * refused (a misspelt setting is never silently ignored), durations are ISO-8601, and every refusal is one
 * {@link BackendException} with the backend's code naming the key and what it accepts.
 */
public final class BackendSettings {
    private final String backendName;
    private final String errorCode;
    private final Map<String, String> settings;

    /**
     * @param errorCode the code of this backend's refusals, e.g. {@code InvalidLocalBackendSetting}
     * @throws BackendException when a key is not among {@code known}
     */
    public BackendSettings(String backendName, String errorCode, Map<String, String> settings, Set<String> known) {
        this.backendName = backendName;
        this.errorCode = errorCode;
        this.settings = Map.copyOf(settings);
        var unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw invalid("Unknown setting(s) " + unknown + " for backend." + backendName + "; known: "
                    + new TreeSet<>(known));
        }
    }

    /** The value, stripped; {@code fallback} when absent or blank. */
    public String text(String key, String fallback) {
        var raw = settings.get(key);
        return raw == null || raw.isBlank() ? fallback : raw.strip();
    }

    /** A positive ISO-8601 duration such as {@code PT60S}. */
    public Duration duration(String key, Duration fallback) {
        var raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            var value = Duration.parse(raw.strip());
            if (value.isNegative() || value.isZero()) {
                throw invalid("backend." + backendName + "." + key + " must be a positive duration, not " + raw);
            }
            return value;
        } catch (DateTimeParseException e) {
            throw invalid("backend." + backendName + "." + key + " must be an ISO-8601 duration such as PT60S, not '"
                    + raw + "'");
        }
    }

    /** A whole number of at least {@code minimum}. */
    public long number(String key, long fallback, long minimum) {
        var raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            var value = Long.parseLong(raw.strip());
            if (value < minimum) {
                throw invalid("backend." + backendName + "." + key + " must be at least " + minimum + ", not " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid("backend." + backendName + "." + key + " must be a whole number, not '" + raw + "'");
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(String key, boolean fallback) {
        var raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("backend." + backendName + "." + key + " must be true or false, not '" + raw
                    + "'");
        };
    }

    /** A refusal of this backend's settings. */
    public BackendException invalid(String message) {
        return BackendException.fatal(errorCode, message);
    }
}

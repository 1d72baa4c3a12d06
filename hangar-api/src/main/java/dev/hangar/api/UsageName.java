package dev.hangar.api;

/** The name of a usage or quota: {@code value} and, identical here, {@code localizedValue}. */
public record UsageName(String value, String localizedValue) {

    public static UsageName of(String value) {
        return new UsageName(value, value);
    }
}

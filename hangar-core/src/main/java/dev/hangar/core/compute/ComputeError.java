package dev.hangar.core.compute;

/** An error recorded on a compute ({@code provisioningErrors}, {@code errors}): a stable code and a message. */
public record ComputeError(String code, String message, String target) {
    public static ComputeError of(String code, String message) {
        return new ComputeError(code, message, null);
    }
}

package dev.hangar.api;

import java.time.Instant;

/**
 * The body of an {@code Azure-AsyncOperation} URL: ARM's {@code OperationStatusResult}. Clients read {@code status}
 * (InProgress, Succeeded, Failed, Canceled) and, when it failed, {@code error}.
 */
public record OperationStatus(String id, String name, String status, Instant startTime, Instant endTime,
                              Double percentComplete, ErrorResponse.ErrorDetail error) {

    public static final String IN_PROGRESS = "InProgress";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String CANCELED = "Canceled";

    /** True once the operation has ended, whatever the outcome. */
    public boolean isTerminal() {
        return SUCCEEDED.equalsIgnoreCase(status) || FAILED.equalsIgnoreCase(status) || CANCELED.equalsIgnoreCase(status);
    }
}

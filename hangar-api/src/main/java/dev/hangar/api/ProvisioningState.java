package dev.hangar.api;

/** ARM {@code provisioningState} of a compute. */
public enum ProvisioningState {
    Unknown, Updating, Creating, Deleting, Succeeded, Failed, Canceled
}

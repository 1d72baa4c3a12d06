package dev.hangar.api;

/** One line of {@code updateQuotas}' answer: the quota as set, and {@code status} {@code Success}. */
public record UpdateWorkspaceQuotas(String id, String type, long limit, String unit, String status) {
}

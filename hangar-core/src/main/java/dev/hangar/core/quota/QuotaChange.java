package dev.hangar.core.quota;

/**
 * One change {@code updateQuotas} asks for: the quota named {@code quotaName} of a location, or of workspace
 * {@code workspace} in resource group {@code resourceGroup} when those are given, set to {@code limit}
 * ({@link QuotaLimit#NONE} removes the limit).
 */
public record QuotaChange(String resourceGroup, String workspace, String quotaName, long limit) {
}

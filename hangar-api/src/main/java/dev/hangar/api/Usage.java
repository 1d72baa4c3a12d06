package dev.hangar.api;

/**
 * One line of {@code locations/{loc}/usages}: the cores a location, a workspace or a compute holds against one quota.
 * {@code limit} is -1 where no limit applies.
 */
public record Usage(String id, String amlWorkspaceLocation, String type, String unit, long currentValue, long limit,
                    UsageName name) {
    public static final String UNIT = "Count";
}

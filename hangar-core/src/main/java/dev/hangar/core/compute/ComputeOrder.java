package dev.hangar.core.compute;

/** How a page of computes is ordered; ties are broken by name, so that paging through a list sees each row once. */
public enum ComputeOrder {
    /** By name, case-insensitively: the API's order. */
    NAME,
    NAME_DESCENDING,
    /** The newest first. */
    NEWEST,
    OLDEST,
    /** By state's name, then by name. */
    STATE
}

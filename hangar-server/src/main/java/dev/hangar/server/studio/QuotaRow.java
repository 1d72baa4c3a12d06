package dev.hangar.server.studio;

/**
 * One quota as the quotas page shows it: the cores of a VM family (or of all, the total) of one priority, used and
 * allowed in the whole location and in this workspace.
 *
 * @param name      Azure's quota name, e.g. {@code Standard_DSv2_Family_Cluster_Dedicated_vCPUs}
 * @param label     what people read: the family ({@code standardDSv2Family}) or "All families"
 * @param total     whether it is the location's total of all families
 * @param location  the location's (every workspace's) cores and limit
 * @param workspace this workspace's cores and the limit that applies to them here (its own, else the family's in the
 *                  location), as the API's usage line of the workspace says; no limit for the total, which only a
 *                  location has
 */
public record QuotaRow(String name, String label, boolean total, Cores location, Cores workspace) {

    /** Cores in use beside their limit ({@code -1}: none). */
    public record Cores(long used, long limit) {
        public boolean limited() {
            return limit >= 0;
        }

        /** The meter's value: what is used, at most the limit (a lowered limit may be below what is in use). */
        public long shown() {
            return limit == 0 ? 1 : Math.min(used, limit);
        }

        /** The meter's maximum: the limit (a limit of 0 shows as a full meter: nothing is left). */
        public long max() {
            return Math.max(1, limit);
        }

        /** From what share on the meter turns to a warning. */
        public double high() {
            return max() * 0.8;
        }

        public String text() {
            return limited() ? used + " of " + limit : used + " (no limit)";
        }

        public boolean over() {
            return limited() && used > limit;
        }
    }
}

package dev.hangar.server.studio;

import java.util.List;

/**
 * The quotas page: per priority, the location's total and each VM family, used and allowed.
 *
 * @param location the workspace's location, whose quotas these are
 * @param tables   one per priority that has cores in use or limits; dedicated first
 * @param quiet    the priorities left out for having neither
 */
public record QuotasView(Chrome chrome, String location, List<Table> tables, List<String> quiet) {

    /** One priority's quotas. */
    public record Table(String priority, String title, List<QuotaRow> rows) {
    }
}

package dev.hangar.api;

import java.util.List;

/** The body of {@code locations/{loc}/updateQuotas}: the quotas to set, by id. */
public record QuotaUpdateParameters(List<QuotaBaseProperties> value, String location) {

    /** One quota to set: its id, and the new limit in cores (-1: no limit of its own). */
    public record QuotaBaseProperties(String id, String type, Long limit, String unit) {
    }
}

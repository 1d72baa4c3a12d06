package dev.hangar.store.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.size.VmSizeCatalog;
import java.util.HashMap;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Seeds the VM size catalog with {@link VmSizeCatalog#DEFAULTS}, the one list of them, and makes every compute that
 * exists hold its size's cores as dedicated ones, as a new compute would: an upgrade starts with usage equal to what
 * exists.
 */
public final class V7__VmSizesAndReservedCores extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var json = new ObjectMapper();
        var sizes = new HashMap<String, VmSize>();
        try (var insert = connection.prepareStatement("INSERT INTO vm_sizes (name_key, name, family, vcpus, memory_gb,"
                + " gpus, price_per_hour, low_priority_price_per_hour, low_priority_capable, compute_types)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (var size : VmSizeCatalog.DEFAULTS) {
                var key = size.name().toLowerCase(Locale.ROOT);
                sizes.put(key, size);
                insert.setString(1, key);
                insert.setString(2, size.name());
                insert.setString(3, size.family());
                insert.setInt(4, size.vCpus());
                insert.setDouble(5, size.memoryGb());
                insert.setInt(6, size.gpus());
                insert.setDouble(7, size.pricePerHour());
                insert.setDouble(8, size.lowPriorityPricePerHour());
                insert.setBoolean(9, size.lowPriorityCapable());
                insert.setString(10, json.writeValueAsString(size.computeTypes()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (var select = connection.createStatement();
             var rows = select.executeQuery("SELECT id, workspace_id, vm_size FROM computes");
             var insert = connection.prepareStatement("INSERT INTO core_reservations (compute_id, workspace_id,"
                     + " family, priority, cores) VALUES (?, ?, ?, 'Dedicated', ?)")) {
            while (rows.next()) {
                var vmSize = rows.getString("vm_size");
                var size = vmSize == null ? null : sizes.get(vmSize.toLowerCase(Locale.ROOT));
                if (size == null) {
                    continue;
                }
                insert.setObject(1, rows.getObject("id", UUID.class));
                insert.setObject(2, rows.getObject("workspace_id", UUID.class));
                insert.setString(3, size.family());
                insert.setInt(4, size.vCpus());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}

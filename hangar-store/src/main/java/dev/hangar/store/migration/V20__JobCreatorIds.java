package dev.hangar.store.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills {@code created_by_id} from the JSON user reference of the jobs that exist. A Java migration because H2 and
 * PostgreSQL read JSON with different functions.
 */
public final class V20__JobCreatorIds extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var json = new ObjectMapper();
        try (var select = connection.createStatement();
             var rows = select.executeQuery("SELECT id, created_by FROM jobs");
             var update = connection.prepareStatement("UPDATE jobs SET created_by_id = ? WHERE id = ?")) {
            while (rows.next()) {
                var user = rows.getString("created_by");
                var id = user == null || user.isBlank() ? null : json.readTree(user).path("objectId");
                update.setObject(1, id != null && id.isTextual() ? UUID.fromString(id.asText()) : null);
                update.setObject(2, rows.getObject("id", UUID.class));
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}

package dev.hangar.store.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills {@code created_by_id} and {@code assigned_user_id} from the JSON user references of the computes that exist.
 * A Java migration because H2 and PostgreSQL read JSON with different functions.
 */
public final class V9__ComputeUserIds extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var json = new ObjectMapper();
        try (var select = connection.createStatement();
             var rows = select.executeQuery("SELECT id, created_by, assigned_user FROM computes");
             var update = connection.prepareStatement(
                     "UPDATE computes SET created_by_id = ?, assigned_user_id = ? WHERE id = ?")) {
            while (rows.next()) {
                update.setObject(1, objectId(json, rows.getString("created_by")));
                update.setObject(2, objectId(json, rows.getString("assigned_user")));
                update.setObject(3, rows.getObject("id", UUID.class));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static UUID objectId(ObjectMapper json, String user) throws Exception {
        if (user == null || user.isBlank()) {
            return null;
        }
        var id = json.readTree(user).path("objectId");
        return id.isTextual() ? UUID.fromString(id.asText()) : null;
    }
}

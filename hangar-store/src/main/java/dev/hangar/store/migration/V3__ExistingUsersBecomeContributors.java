package dev.hangar.store.migration;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Before roles, every user managed the instances they created, in every workspace. Each non-admin user who existed
 * then becomes a Contributor (Azure's built-in role id) of each workspace, so that an upgrade takes nobody's access
 * away. Administrators need no assignment. A Java migration because the ids are random UUIDs, which H2 and PostgreSQL
 * make with different functions.
 */
public final class V3__ExistingUsersBecomeContributors extends BaseJavaMigration {
    static final UUID CONTRIBUTOR = UUID.fromString("b24988ac-6180-42a0-ab88-20f7382dd24c");

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var users = new ArrayList<UUID>();
        var workspaces = new ArrayList<UUID>();
        try (var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT id FROM users WHERE admin = FALSE")) {
                while (rows.next()) {
                    users.add(rows.getObject(1, UUID.class));
                }
            }
            try (var rows = statement.executeQuery("SELECT id FROM workspaces")) {
                while (rows.next()) {
                    workspaces.add(rows.getObject(1, UUID.class));
                }
            }
        }
        try (var insert = connection.prepareStatement("INSERT INTO role_assignments (id, workspace_id, principal_id,"
                + " role_definition_id, created_on, created_by) VALUES (?, ?, ?, ?, ?, 'hangar')")) {
            var now = Timestamp.from(Instant.now());
            for (var user : users) {
                for (var workspace : workspaces) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, workspace);
                    insert.setObject(3, user);
                    insert.setObject(4, CONTRIBUTOR);
                    insert.setTimestamp(5, now);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }
}

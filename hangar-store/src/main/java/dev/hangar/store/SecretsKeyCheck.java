package dev.hangar.store;

import dev.hangar.core.secret.SecretBox;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a store opens with the key its secrets are sealed with. The first open seals a check value; later opens
 * must open it: with the box's own key (nothing to do), with a key the box replaces (every secret is sealed again
 * with the new key, and the check with it), or not at all (the start stops, rather than run on with secrets it
 * cannot read and overwrite them).
 */
final class SecretsKeyCheck {
    static final String CHECK = "secrets.check";
    private static final String CHECK_TEXT = "hangar secrets key check";
    private static final Logger LOG = LoggerFactory.getLogger(SecretsKeyCheck.class);

    private SecretsKeyCheck() {
    }

    static void verify(Handle handle, SecretBox secrets) {
        var check = handle.createQuery("SELECT setting_value FROM store_settings WHERE name = :name").bind("name", CHECK)
                .mapTo(String.class).findOne();
        if (check.isPresent() && secrets.sealedWithThisKey(check.get())) {
            return;
        }
        // Before the check existed, the secrets themselves tell whether the key fits.
        var fits = check.isPresent() ? secrets.open(check.get()).filter(CHECK_TEXT::equals).isPresent()
                : new ComputeRows(handle, secrets).sealedAppsOpen();
        if (!fits) {
            throw new IllegalStateException("The secrets key does not open the secrets this database holds: they were"
                    + " sealed with another key. Start with the key they were sealed with (secrets.key-file, or"
                    + " <data>/secrets/store.key), or name it in secrets.previous-key-files to change to a new one.");
        }
        if (check.isPresent()) {
            var resealed = new ComputeRows(handle, secrets).resealApps();
            var credentials = new AttachedRows(handle, secrets).reseal();
            LOG.info("The secrets key changed: the secrets of {} compute(s) and the credentials of {} attached"
                    + " compute(s) are sealed again with the new one. The previous key is no longer needed.", resealed,
                    credentials);
        }
        handle.createUpdate("DELETE FROM store_settings WHERE name = :name").bind("name", CHECK).execute();
        handle.createUpdate("INSERT INTO store_settings (name, setting_value) VALUES (:name, :value)").bind("name", CHECK)
                .bind("value", secrets.seal(CHECK_TEXT)).execute();
    }
}

package dev.hangar.server.studio;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.setup.SetupScript;
import dev.hangar.core.setup.SetupScriptRules;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.server.ssh.AdminPublicKey;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The create form's values as typed, kept as text so that the form shows them again after a refusal, and what they
 * ask for as an {@link InstanceRequest}. Each refusal names the form's field it is about.
 *
 * @param assignedUser the object id of the user the instance is for, or "" for the one creating it
 * @param creation     a setup script run once, at creation; {@link Script#none()} when there is none
 * @param schedules    {@value #SCHEDULES} rows; a row without a cron expression is no schedule
 */
public record InstanceForm(String name, String size, String description, String assignedUser, boolean shared,
                           boolean ssh, String sshKey, Script creation, Script startup, String idleMinutes,
                           List<Schedule> schedules, String tags) {
    /** How many schedules the form offers, as Azure's studio does. */
    public static final int SCHEDULES = ScheduleRows.MAX;

    /** A setup script as the form has it: {@code source} is "", "inline" (its text) or "file" (a share path). */
    public record Script(String source, String text, String path, String arguments, String timeoutMinutes) {
        static Script none() {
            return new Script("", "", "", "", "");
        }

        public boolean present() {
            return source.equals("inline") || source.equals("file");
        }
    }

    /** A start or stop on a cron expression in a time zone. */
    public record Schedule(String action, String cron, String timeZone) {
        public boolean present() {
            return !cron.isBlank();
        }
    }

    /** A blank form, with the size the reader is likely to want first. */
    public static InstanceForm blank(String size) {
        return new InstanceForm("", size, "", "", false, false, "", Script.none(), Script.none(), "60",
                ScheduleRows.blank(SCHEDULES), "");
    }

    public static InstanceForm of(MultiMap form) {
        return new InstanceForm(text(form, "name"), text(form, "size"), text(form, "description"),
                text(form, "assignedUser"), "Shared".equals(form.get("sharing")), "on".equals(form.get("ssh")),
                text(form, "sshKey"), script(form, "creation"), script(form, "startup"), text(form, "idleMinutes"),
                ScheduleRows.of(form, SCHEDULES), text(form, "tags"));
    }

    private static Script script(MultiMap form, String kind) {
        return new Script(text(form, kind + "Source"), text(form, kind + "Text"), text(form, kind + "Path"),
                text(form, kind + "Arguments"), text(form, kind + "Timeout"));
    }

    private static String text(MultiMap form, String field) {
        var value = form.get(field);
        return value == null ? "" : value.strip();
    }

    /**
     * What the form asks for. Refusals here are those of the form's own shape (a key that is no key, a tag line
     * without '='); the compute service checks the rest as it checks the API's requests.
     *
     * @param users the users who may be chosen, by object id
     */
    public InstanceRequest request(Map<UUID, UserRef> users) {
        UserRef assigned = null;
        if (!assignedUser.isEmpty()) {
            try {
                assigned = users.get(UUID.fromString(assignedUser));
            } catch (IllegalArgumentException e) {
                assigned = null;
            }
            if (assigned == null) {
                throw ApiException.badRequest("InvalidAssignedUser", "Choose the user the instance is for from the"
                        + " list.", "assignedUser");
            }
        }
        var sshSettings = ssh ? new ComputeInstance.SshSettings(true, AdminPublicKey.check(sshKey, "sshKey"))
                : ComputeInstance.SshSettings.DISABLED;
        var scripts = creation.present() || startup.present()
                ? new SetupScripts(script(creation, "creation"), script(startup, "startup")) : null;
        return new InstanceRequest(size, description.isEmpty() ? null : description, tagsAsked(), assigned,
                shared ? "Shared" : "Personal", sshSettings, scripts, null, idle(), schedulesAsked());
    }

    private static SetupScript script(Script script, String kind) {
        if (!script.present()) {
            return null;
        }
        var inline = script.source().equals("inline");
        var data = inline ? script.text() : script.path();
        if (data.isBlank()) {
            throw ApiException.badRequest(SetupScriptRules.INVALID, inline ? "Write the " + kind + " script, or"
                    + " choose no script." : "Give the " + kind + " script's path in the file share, e.g."
                    + " Users/<you>/setup.sh.", kind + (inline ? "Text" : "Path"));
        }
        Duration timeout = null;
        if (!script.timeoutMinutes().isBlank()) {
            try {
                timeout = Duration.ofMinutes(Long.parseLong(script.timeoutMinutes()));
            } catch (NumberFormatException | ArithmeticException e) {
                throw ApiException.badRequest(SetupScriptRules.INVALID, "The " + kind + " script's timeout is a"
                        + " whole number of minutes.", kind + "Timeout");
            }
        }
        return new SetupScript(inline ? SetupScript.Source.inline : SetupScript.Source.workspaceStorage,
                inline ? Base64.getEncoder().encodeToString(data.replace("\r\n", "\n")
                        .getBytes(StandardCharsets.UTF_8)) : data, script.arguments(), timeout);
    }

    private Duration idle() {
        if (idleMinutes.isBlank() || idleMinutes.equals("0")) {
            return null;
        }
        try {
            return Duration.ofMinutes(Long.parseLong(idleMinutes));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ApiException.badRequest("InvalidIdleTime", "The idle time is a whole number of minutes, not '"
                    + idleMinutes + "'.", "idleMinutes");
        }
    }

    private List<ComputeSchedule> schedulesAsked() {
        var asked = ScheduleRows.asked(schedules);
        return asked.isEmpty() ? null : asked;
    }

    private Map<String, String> tagsAsked() {
        var result = new LinkedHashMap<String, String>();
        for (var line : tags.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            var equals = line.indexOf('=');
            if (equals <= 0) {
                throw ApiException.badRequest("InvalidTag", "A tag is a line 'name=value', not '" + line.strip()
                        + "'.", "tags");
            }
            result.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return result.isEmpty() ? null : result;
    }

    /** Whether a refusal's target is this form field, for the page to mark it. */
    public static boolean about(String target, String field) {
        return target != null && target.toLowerCase(Locale.ROOT).contains(field.toLowerCase(Locale.ROOT));
    }
}

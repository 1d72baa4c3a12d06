package dev.hangar.server.studio;

import dev.hangar.archive.Tarballs;
import dev.hangar.core.job.JobTargets;
import java.util.List;
import java.util.Map;

/**
 * The form that submits a job, as shown: what was typed (or the defaults), and what the API said of it, by field.
 *
 * @param action       the path the form posts to
 * @param values       what the fields hold
 * @param errors       each refused field's message, by the field's name
 * @param general      a refusal no one field is to blame for, or null
 * @param computes     the computes the reader may run a job on
 * @param environments the environment versions a job may name: Hangar's curated ones first
 * @param codeLimits   the most a job's code holds, which the page checks before it sends any
 */
public record JobFormView(Chrome chrome, String action, String list, Values values, Map<String, String> errors,
                          String general, List<JobTargets.Target> computes, List<Option> environments,
                          Tarballs.Limits codeLimits) {

    /** The code's limits in words. */
    public String codeLimitText() {
        return (codeLimits.maxBytes() >> 20) + " MB in " + String.format(java.util.Locale.ROOT, "%,d",
                codeLimits.maxFiles()) + " files";
    }

    /** The form's fields as text, as a browser sends them. */
    public record Values(String name, String displayName, String compute, String command, String environment,
                         String variables, String cores, String instanceCount, String priority) {
    }

    /** A choice of a select: what it sends and what it shows. */
    public record Option(String value, String label) {
    }

    public String error(String field) {
        return errors.get(field);
    }

    /** The {@code aria-describedby} of a field: its error's id, when it has one. */
    public String describedBy(String field) {
        return errors.containsKey(field) ? field + "-error" : null;
    }
}

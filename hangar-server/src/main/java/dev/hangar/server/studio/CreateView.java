package dev.hangar.server.studio;

import java.util.List;

/**
 * The create form, or its review before the instance is created.
 *
 * @param path         where the form posts
 * @param sizes        the sizes an instance may have, with the cores their family has left
 * @param users        whom the instance may be made for, besides the reader
 * @param error        why the last try was refused, or null
 * @param errorField   the form field the refusal is about, or null
 * @param review       whether this is the review step
 * @param sshAvailable whether the SSH gateway is on
 */
public record CreateView(Chrome chrome, String path, String list, InstanceForm form, List<SizeOption> sizes,
                         List<Choice> users, String error, String errorField, boolean review, boolean sshAvailable) {

    /** A size as the picker shows it. */
    public record SizeOption(String name, String family, int vCpus, String memory, int gpus, String coresLeft,
                             boolean fits) {
        public String label() {
            return name + " · " + vCpus + " vCPU" + (vCpus == 1 ? "" : "s") + ", " + memory + " GB"
                    + (gpus > 0 ? ", " + gpus + " GPU" + (gpus == 1 ? "" : "s") : "") + " · " + coresLeft;
        }
    }

    /** One choice of a select: its value and what it shows. */
    public record Choice(String value, String label) {
    }

    /** Whether the refusal is about {@code field}, for the page to mark it. */
    public boolean wrong(String field) {
        return errorField != null && InstanceForm.about(errorField, field);
    }

    /** The schedule rows, with the refusal when it is about one of them. */
    public ScheduleFields scheduleFields() {
        return new ScheduleFields(form.schedules(), error, errorField);
    }

    /** The chosen size's line, for the review. */
    public String sizeLabel() {
        return sizes.stream().filter(size -> size.name().equalsIgnoreCase(form.size())).map(SizeOption::label)
                .findFirst().orElse(form.size());
    }

    /** The chosen user's name, for the review. */
    public String userLabel() {
        return users.stream().filter(user -> user.value().equals(form.assignedUser())).map(Choice::label)
                .findFirst().orElse("yourself");
    }
}

package dev.hangar.server.studio;

/**
 * A compute cluster or an attached compute as its tab of the compute list shows it.
 *
 * @param key     the row's id in the page, also the name of its live updates
 * @param kind    the cluster's size, or the attached compute's kind (Slurm, SSH, ...)
 * @param state   the state in words: a cluster's allocation, an attached compute's provisioning
 * @param tone    how the state looks (see {@link InstanceRow#tone()})
 * @param nodes   nodes in use and their bounds ("2 of 0–8"), or the attached engine's node count
 */
public record OtherComputeRow(String key, String name, String kind, String state, String tone, String nodes,
                              String createdBy, String created) {
    public String event() {
        return "compute-" + key;
    }
}

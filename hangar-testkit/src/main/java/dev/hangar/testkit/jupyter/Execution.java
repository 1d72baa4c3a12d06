package dev.hangar.testkit.jupyter;

/**
 * What a kernel answered to one {@code execute_request}.
 *
 * @param status {@code ok} or {@code error}, from the {@code execute_reply}
 * @param result the {@code text/plain} of the {@code execute_result}, or null when the code had no value
 * @param stdout what the code printed
 * @param error {@code ename: evalue} when the code raised, else null
 * @param displayed the {@code text/plain} of each {@code display_data}, a line each: how kernels such as R's IRkernel
 *                  show a value, where IPython sends an {@code execute_result}
 */
public record Execution(String status, String result, String stdout, String error, String displayed) {

    public boolean ok() {
        return "ok".equals(status);
    }
}

package dev.hangar.testkit.jupyter;

/**
 * What a kernel answered to one {@code execute_request}.
 *
 * @param status {@code ok} or {@code error}, from the {@code execute_reply}
 * @param result the {@code text/plain} of the {@code execute_result}, or null when the code had no value
 * @param stdout what the code printed
 * @param error {@code ename: evalue} when the code raised, else null
 */
public record Execution(String status, String result, String stdout, String error) {

    public boolean ok() {
        return "ok".equals(status);
    }
}

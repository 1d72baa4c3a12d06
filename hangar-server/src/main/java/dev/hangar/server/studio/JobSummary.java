package dev.hangar.server.studio;

import java.util.List;

/**
 * What a job's page shows of it that changes while it runs, sent again live as a whole when it changes: its status,
 * times, exit code and error, its outputs once kept, its history, and the Cancel button for a reader who may use it.
 *
 * @param error   why it failed or was canceled, else null
 * @param outputs the URL its outputs download from, once it ended and kept some; else null
 * @param cancel  the path Cancel posts to, for a reader who may cancel a job that has not ended; else null
 */
public record JobSummary(String name, String status, String tone, String compute, String createdBy,
                         String submitted, String started, String ended, String duration, Integer exitCode,
                         String error, String outputs, String cancel, List<HistoryLine> history) {

    /** One move of the job's status: when, from what (null at submission), to what, and why. */
    public record HistoryLine(String at, String from, String to, String reason) {
    }
}

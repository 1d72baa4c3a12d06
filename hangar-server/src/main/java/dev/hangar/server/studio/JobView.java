package dev.hangar.server.studio;

import java.util.List;

/**
 * A job's page: what it was submitted as, what it is now ({@link JobSummary}), and its log.
 *
 * @param environment the environment version it runs in, or null for its compute's own
 * @param variables   its environment variables, as {@code NAME=value}
 * @param code        the digest of the code snapshot it runs in, or null
 * @param log         the log's text as the page was read (its last {@link JobLog#PAGE_MOST} bytes at most)
 * @param logCut      whether the log's start is left out
 * @param logNext     the byte offset after that text, where the live log continues
 * @param live        the URL of the page's live updates, or null once the job has ended
 * @param logUrl      the API's URL of the whole log
 */
public record JobView(Chrome chrome, String name, String displayName, String command, String environment,
                      List<String> variables, int cores, int instanceCount, String priority, String code,
                      JobSummary summary, String log, boolean logCut, long logNext, String live, String logUrl,
                      String list) {
}

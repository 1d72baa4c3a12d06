package dev.hangar.server.studio;

/**
 * One file or folder as the file share's page lists it.
 *
 * @param href     a folder's page, or the file itself (its download)
 * @param size     a file's size as people read it ("1.4 MB"); empty for a folder
 * @param bytes    a file's exact size in bytes
 * @param modified when it last changed, in UTC to the minute
 * @param at       the same, as an ISO 8601 instant for {@code <time datetime>}
 * @param delete   the path its delete is posted to, for a reader who may delete it; else null
 */
public record FileRow(String name, String path, boolean folder, String href, String size, long bytes,
                      String modified, String at, String delete) {
}

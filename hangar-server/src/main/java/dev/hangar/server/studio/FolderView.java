package dev.hangar.server.studio;

import java.util.List;

/**
 * A folder of the workspace's file share, as its page shows it.
 *
 * @param path       the folder's path in the share; empty for the root
 * @param self       the page's own URL
 * @param crumbs     the way down from the share's root to this folder, the last being this one
 * @param rows       its folders, then its files, each by name
 * @param upload     the API's URL of this folder, under which uploads are {@code PUT}; null when the reader may not
 *                   write here (nor make a folder)
 * @param newFolder  the path a new folder's name is posted to, when the reader may write here
 * @param own        the reader's own folder, where they may write, when it is not this one and they may write there
 */
public record FolderView(Chrome chrome, String path, String self, List<Link> crumbs, List<FileRow> rows,
                         String upload, String newFolder, Link own) {

    public boolean writable() {
        return upload != null;
    }

    /** Whether any row offers a delete (the table then has a column for it). */
    public boolean deletes() {
        return rows.stream().anyMatch(row -> row.delete() != null);
    }
}

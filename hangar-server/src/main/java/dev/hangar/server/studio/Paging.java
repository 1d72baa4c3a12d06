package dev.hangar.server.studio;

import java.util.function.IntFunction;

/**
 * Where one page of a counted list stands among its pages: which rows it shows, and the links to its neighbours.
 *
 * @param page  the page shown, from 1
 * @param shown how many rows it shows
 * @param href  the URL of a page of the same list, by number
 */
public record Paging(int page, int pageSize, int total, int shown, IntFunction<String> href) {

    public int pages() {
        return Math.max(1, (total + pageSize - 1) / pageSize);
    }

    /** The 1-based number of the first row shown, or 0 when there is none. */
    public int first() {
        return shown == 0 ? 0 : (page - 1) * pageSize + 1;
    }

    public int last() {
        return (page - 1) * pageSize + shown;
    }

    public String previous() {
        return page > 1 ? href.apply(page - 1) : null;
    }

    public String next() {
        return page < pages() ? href.apply(page + 1) : null;
    }
}

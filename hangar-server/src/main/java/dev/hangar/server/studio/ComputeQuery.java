package dev.hangar.server.studio;

import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeOrder;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the compute list shows, as its URL's query says: {@code q} (names containing it), {@code mine} (created by the
 * reader), {@code sort} and {@code page}. What a browser cannot have meant (an unknown sort, a page past the end) is
 * read as the nearest thing that exists, not refused: the list is a page to look at.
 */
public record ComputeQuery(String search, boolean mine, ComputeOrder order, int page) {
    public static final int PAGE_SIZE = 50;
    /** The longest search kept: a name is at most 24 characters, so anything longer matches nothing anyway. */
    static final int LONGEST_SEARCH = 64;
    private static final Map<String, ComputeOrder> SORTS = Map.of("name", ComputeOrder.NAME,
            "-name", ComputeOrder.NAME_DESCENDING, "newest", ComputeOrder.NEWEST, "oldest", ComputeOrder.OLDEST,
            "state", ComputeOrder.STATE);

    public ComputeQuery {
        search = search == null ? "" : search.strip();
        if (search.length() > LONGEST_SEARCH) {
            search = search.substring(0, LONGEST_SEARCH);
        }
        page = Math.max(1, page);
    }

    public static ComputeQuery of(RoutingContext ctx) {
        var request = ctx.request();
        var sort = SORTS.getOrDefault(String.valueOf(request.getParam("sort")), ComputeOrder.NAME);
        int page;
        try {
            page = Integer.parseInt(String.valueOf(request.getParam("page")));
        } catch (NumberFormatException e) {
            page = 1;
        }
        return new ComputeQuery(request.getParam("q"), "1".equals(request.getParam("mine")), sort, page);
    }

    public ComputeFilter filter(User reader) {
        return new ComputeFilter(mine ? reader.id() : null, null, null, search);
    }

    public int skip() {
        return (page - 1) * PAGE_SIZE;
    }

    /** This query on another page. */
    public ComputeQuery onPage(int other) {
        return new ComputeQuery(search, mine, order, other);
    }

    /** This query sorted otherwise, from its first page. */
    public ComputeQuery sortedBy(ComputeOrder other) {
        return new ComputeQuery(search, mine, other, 1);
    }

    /** The query string that asks for this, e.g. {@code q=gpu&mine=1&sort=state&page=2}; empty for the defaults. */
    public String queryString() {
        var query = new StringBuilder();
        if (!search.isEmpty()) {
            query.append("&q=").append(URLEncoder.encode(search, StandardCharsets.UTF_8));
        }
        if (mine) {
            query.append("&mine=1");
        }
        if (order != ComputeOrder.NAME) {
            query.append("&sort=").append(sortName(order));
        }
        if (page > 1) {
            query.append("&page=").append(page);
        }
        return query.isEmpty() ? "" : query.substring(1);
    }

    public String sortName() {
        return sortName(order);
    }

    private static String sortName(ComputeOrder order) {
        return SORTS.entrySet().stream().filter(entry -> entry.getValue() == order).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }
}

package dev.hangar.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The names nearest to a mistyped one, by edit distance with a swap of two neighbours counting as one edit
 * ({@code lsit} is one edit from {@code list}); picocli's own suggestions rank {@code list-sizes} first for it.
 */
final class Nearest {
    private static final int MOST = 3;

    private Nearest() {
    }

    /** Up to three of {@code names}, nearest first, that are at most a third of {@code typed} (and 2 edits) away. */
    static List<String> to(String typed, Collection<String> names) {
        int allowed = Math.max(2, typed.length() / 3);
        return names.stream()
                .filter(name -> distance(typed, name) <= allowed || name.startsWith(typed) && typed.length() >= 3)
                .sorted(Comparator.comparingInt((String name) -> distance(typed, name)).thenComparing(name -> name))
                .limit(MOST)
                .toList();
    }

    /** The optimal string alignment distance: insertions, deletions, substitutions and neighbour swaps. */
    static int distance(String a, String b) {
        var d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

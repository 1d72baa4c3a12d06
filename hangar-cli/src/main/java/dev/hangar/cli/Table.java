package dev.hangar.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plain-text table: headers, columns two spaces apart, {@code -} for a missing value. Every cell is one line (a
 * multi-line reason would break the rows); a free-text column ({@link #text}) is cut to {@value #TEXT_WIDTH}
 * characters with an ellipsis unless the table is {@link #wide}.
 */
final class Table {
    static final int TEXT_WIDTH = 60;
    private static final String ELLIPSIS = "...";

    private final List<String> headers;
    private final boolean showHeaders;
    private final Set<Integer> textColumns = new HashSet<>();
    private final List<List<String>> rows = new ArrayList<>();
    private boolean wide;

    Table(String... headers) {
        this(List.of(headers), true);
    }

    private Table(List<String> headers, boolean showHeaders) {
        this.headers = headers;
        this.showHeaders = showHeaders;
    }

    /** Two columns without headers: a name and its value per row. */
    static Table fields() {
        return new Table(List.of("", ""), false);
    }

    /** Marks the columns of these headers as free text, cut unless {@link #wide}. */
    Table text(String... columns) {
        for (var column : columns) {
            var index = headers.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("no column " + column);
            }
            textColumns.add(index);
        }
        return this;
    }

    /** Whether free-text cells are printed whole ({@code --wide}). */
    Table wide(boolean wide) {
        this.wide = wide;
        return this;
    }

    Table row(Object... cells) {
        var row = new ArrayList<String>();
        for (var cell : cells) {
            row.add(cell == null || cell.toString().isBlank() ? "-" : oneLine(cell.toString()));
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        var shown = rows.stream().map(this::cut).toList();
        var widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (var row : shown) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        if (showHeaders) {
            printRow(out, headers, widths);
        }
        shown.forEach(row -> printRow(out, row, widths));
        out.flush();
    }

    private List<String> cut(List<String> row) {
        if (wide || textColumns.isEmpty()) {
            return row;
        }
        var cut = new ArrayList<>(row);
        for (int column : textColumns) {
            var cell = cut.get(column);
            if (cell.length() > TEXT_WIDTH) {
                cut.set(column, cell.substring(0, TEXT_WIDTH - ELLIPSIS.length()).stripTrailing() + ELLIPSIS);
            }
        }
        return cut;
    }

    /** The lines of {@code text} joined with a space, so that a row stays one line. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        var line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
        }
        out.println(line.toString().stripTrailing());
    }
}

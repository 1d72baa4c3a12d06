package dev.hangar.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: headers, columns two spaces apart, {@code -} for a missing value. */
final class Table {
    private final List<String> headers;
    private final boolean showHeaders;
    private final List<List<String>> rows = new ArrayList<>();

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

    Table row(Object... cells) {
        var row = new ArrayList<String>();
        for (var cell : cells) {
            row.add(cell == null || cell.toString().isBlank() ? "-" : cell.toString());
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        var widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (var row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        if (showHeaders) {
            printRow(out, headers, widths);
        }
        rows.forEach(row -> printRow(out, row, widths));
        out.flush();
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        var line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
        }
        out.println(line.toString().stripTrailing());
    }
}

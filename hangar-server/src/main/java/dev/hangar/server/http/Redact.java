package dev.hangar.server.http;

/**
 * What of a client's request may reach the log: its path, never its query (which may carry a token, as a
 * {@code ?token=} link does) nor its body (a sign-in form holds one), cut short and with control characters shown
 * as {@code ?}, so that one log line stays one line.
 */
public final class Redact {
    private static final int LONGEST = 200;

    private Redact() {
    }

    /** The path of {@code uri}, without its query or fragment. */
    public static String path(String uri) {
        if (uri == null) {
            return "";
        }
        var end = uri.length();
        for (var mark : new char[] {'?', '#'}) {
            var at = uri.indexOf(mark);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        var path = new StringBuilder(Math.min(end, LONGEST + 3));
        for (int i = 0; i < end && i < LONGEST; i++) {
            var c = uri.charAt(i);
            path.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return end > LONGEST ? path.append("...").toString() : path.toString();
    }

    /** Whether {@code value} can go into a header as it is: no control character but a tab. */
    public static boolean printable(String value) {
        return value.chars().allMatch(c -> c == '\t' || c >= 0x20 && c != 0x7f);
    }
}

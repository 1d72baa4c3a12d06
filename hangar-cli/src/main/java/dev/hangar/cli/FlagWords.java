package dev.hangar.cli;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server names its query parameters in its errors ({@code recursive=true}, {@code top}); a user of the command
 * line typed flags, so the messages that reach the command line name those ({@code --recursive}, {@code --top}).
 */
final class FlagWords {
    private record Rewrite(Pattern words, String flag) {
    }

    /** Per error code, the words of the server's message and the flag that sets that parameter. */
    private static final Map<String, List<Rewrite>> REWRITES = Map.of(
            "FolderNotEmpty", List.of(rewrite("\\brecursive=true\\b", "--recursive")),
            "InvalidTop", List.of(rewrite("^top\\b", "--top")),
            "InvalidTimeRange", List.of(rewrite("^until\\b", "--until"), rewrite("\\bsince \\(", "--since (")),
            "InvalidFilter", List.of(rewrite("\\bstatus takes\\b", "--status takes")));

    private FlagWords() {
    }

    private static Rewrite rewrite(String words, String flag) {
        return new Rewrite(Pattern.compile(words), flag);
    }

    /** The server's {@code message} of {@code code}, its query parameters named as the command line's flags. */
    static String of(String code, String message) {
        if (message == null) {
            return null;
        }
        var rewritten = message;
        for (var rewrite : REWRITES.getOrDefault(code, List.of())) {
            rewritten = rewrite.words().matcher(rewritten).replaceAll(Matcher.quoteReplacement(rewrite.flag()));
        }
        return rewritten;
    }
}

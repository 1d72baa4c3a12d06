package dev.hangar.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a code folder leaves out, as Azure Machine Learning reads it: the folder's {@code .amlignore}, else its
 * {@code .gitignore}, in gitignore's pattern syntax ({@code #} comments, {@code !} to take back, a trailing
 * {@code /} for folders only, a {@code /} elsewhere to anchor at the folder, {@code *}, {@code ?}, {@code [...]} and
 * {@code **}). The last pattern that matches a path decides. Asked about a path relative to the folder, a folder's
 * ending in {@code /}.
 */
public final class IgnoreFile implements Predicate<String> {
    public static final List<String> NAMES = List.of(".amlignore", ".gitignore");

    private record Rule(Pattern pattern, boolean negated, boolean foldersOnly) {
    }

    private final List<Rule> rules;
    private final String source;

    private IgnoreFile(List<Rule> rules, String source) {
        this.rules = rules;
        this.source = source;
    }

    /** The folder's ignore file, or one that leaves nothing out. */
    public static IgnoreFile of(Path folder) {
        for (var name : NAMES) {
            var file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), name);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file, e);
                }
            }
        }
        return new IgnoreFile(List.of(), null);
    }

    /** The rules of an ignore file's lines. */
    public static IgnoreFile parse(List<String> lines, String source) {
        var rules = new ArrayList<Rule>();
        for (var raw : lines) {
            var line = stripTrailingSpaces(raw);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var negated = line.startsWith("!");
            if (negated) {
                line = line.substring(1);
            } else if (line.startsWith("\\#") || line.startsWith("\\!")) {
                line = line.substring(1);
            }
            var foldersOnly = line.endsWith("/");
            if (foldersOnly) {
                line = line.replaceAll("/+$", "");
            }
            if (line.isEmpty()) {
                continue;
            }
            var anchored = line.contains("/");
            if (line.startsWith("/")) {
                line = line.substring(1);
            }
            var regex = (anchored ? "" : "(?:.*/)?") + glob(line);
            rules.add(new Rule(Pattern.compile(regex), negated, foldersOnly));
        }
        return new IgnoreFile(List.copyOf(rules), source);
    }

    /** The ignore file read ({@code .amlignore} or {@code .gitignore}), or null when there was none. */
    public String source() {
        return source;
    }

    @Override
    public boolean test(String path) {
        var folder = path.endsWith("/");
        var name = folder ? path.substring(0, path.length() - 1) : path;
        var ignored = false;
        for (var rule : rules) {
            if (rule.foldersOnly() && !folder) {
                continue;
            }
            if (rule.pattern().matcher(name).matches()) {
                ignored = !rule.negated();
            }
        }
        return ignored;
    }

    private static String glob(String pattern) {
        var regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            var c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                var slashBefore = i == 0 || pattern.charAt(i - 1) == '/';
                var slashAfter = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
                if (slashBefore && slashAfter) {
                    regex.append("(?:.*/)?");
                    i += 2;
                } else {
                    regex.append(".*");
                    i += 1;
                }
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                var end = pattern.indexOf(']', i + 2);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    var set = pattern.substring(i + 1, end);
                    if (set.startsWith("!")) {
                        set = "^" + set.substring(1);
                    }
                    regex.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    private static String stripTrailingSpaces(String line) {
        var end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ' && (end < 2 || line.charAt(end - 2) != '\\')) {
            end--;
        }
        return line.substring(0, end);
    }
}

package dev.hangar.core.setup;

import java.util.ArrayList;
import java.util.List;

/**
 * A script's arguments, given as one line ({@code scriptArguments}), split into words as a POSIX shell splits them:
 * blanks separate words; single quotes keep everything; double quotes keep everything but {@code \"}, {@code \\},
 * {@code \$} and {@code \`}; a backslash outside quotes keeps the next character. Nothing is expanded: no variables,
 * no commands, no globs. Each word reaches the script as one argument, whatever it holds.
 */
public final class ScriptArguments {
    private ScriptArguments() {
    }

    /** The words of {@code line}; none for null or blank. */
    public static List<String> split(String line) {
        var words = new ArrayList<String>();
        if (line == null) {
            return words;
        }
        var word = new StringBuilder();
        var inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case ' ', '\t', '\n', '\r' -> {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("a single quote at character " + (i + 1)
                                + " is never closed");
                    }
                    word.append(line, i + 1, end);
                    inWord = true;
                    i = end;
                }
                case '"' -> {
                    int j = i + 1;
                    for (; j < line.length() && line.charAt(j) != '"'; j++) {
                        char d = line.charAt(j);
                        if (d == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
                            word.append(line.charAt(++j));
                        } else {
                            word.append(d);
                        }
                    }
                    if (j >= line.length()) {
                        throw new IllegalArgumentException("a double quote at character " + (i + 1)
                                + " is never closed");
                    }
                    inWord = true;
                    i = j;
                }
                case '\\' -> {
                    if (i + 1 >= line.length()) {
                        throw new IllegalArgumentException("the line ends with a lone backslash");
                    }
                    word.append(line.charAt(++i));
                    inWord = true;
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** {@code word} as one word for a POSIX shell: in single quotes, each of its own single quotes closed and escaped. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

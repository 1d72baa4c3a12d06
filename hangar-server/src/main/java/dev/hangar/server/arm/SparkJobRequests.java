package dev.hangar.server.arm;

import dev.hangar.api.JobResource;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.spi.engine.SparkApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Azure's v2 Spark job on the wire ({@code jobType: Spark}): its {@code entry}, {@code args} (one string, split into
 * arguments as a POSIX shell splits words: single and double quotes, backslash escapes, no expansion), {@code jars},
 * {@code pyFiles}, {@code files}, {@code archives} and {@code conf}, read into a {@link SparkApplication} and rendered
 * back.
 */
final class SparkJobRequests {
    static final String JOB_TYPE = "Spark";

    private SparkJobRequests() {
    }

    /** The application a Spark job's properties describe. */
    static SparkApplication application(JobResource.Properties properties) {
        var entry = properties.entry();
        if (entry == null) {
            throw ApiException.badRequest("InvalidSparkEntry", "A Spark job needs its entry: {\"sparkJobEntryType\":"
                    + "\"SparkJobPythonEntry\",\"file\":...} or {\"sparkJobEntryType\":\"SparkJobScalaEntry\","
                    + "\"className\":...}.", "properties.entry");
        }
        var type = entry.sparkJobEntryType();
        var python = type == null ? entry.file() != null : type.equalsIgnoreCase(JobResource.SparkEntry.PYTHON);
        if (type != null && !python && !type.equalsIgnoreCase(JobResource.SparkEntry.SCALA)) {
            throw ApiException.badRequest("InvalidSparkEntry", "sparkJobEntryType is " + JobResource.SparkEntry.PYTHON
                    + " or " + JobResource.SparkEntry.SCALA + ", not '" + type + "'.", "properties.entry");
        }
        if (properties.command() != null && !properties.command().isBlank()) {
            throw ApiException.badRequest("InvalidSparkEntry", "A Spark job runs its entry, not a command: leave"
                    + " command out.", "properties.command");
        }
        return new SparkApplication(python ? null : entry.className(), python ? entry.file() : null,
                split(properties.args()), properties.jars(), properties.pyFiles(), properties.files(),
                properties.archives(), properties.conf());
    }

    /** The spark-submit line a Spark job amounts to, which listings show as its command. */
    static String commandLine(SparkApplication app) {
        var line = new StringBuilder("spark-submit");
        if (!app.python()) {
            line.append(" --class ").append(app.mainClass());
        }
        option(line, "--jars", app.python() ? app.jars() : app.jars().subList(Math.min(1, app.jars().size()),
                app.jars().size()));
        option(line, "--py-files", app.pyFiles());
        option(line, "--files", app.files());
        option(line, "--archives", app.archives());
        app.conf().forEach((key, value) -> line.append(" --conf ").append(quote(key + "=" + value)));
        line.append(' ').append(app.python() ? app.pythonFile() : app.jars().isEmpty() ? "" : app.jars().getFirst());
        app.arguments().forEach(argument -> line.append(' ').append(quote(argument)));
        return line.toString();
    }

    /** A Spark job's properties, as a GET shows them. */
    static void render(SparkApplication app, Fields into) {
        into.entry = app.python() ? new JobResource.SparkEntry(JobResource.SparkEntry.PYTHON, app.pythonFile(), null)
                : new JobResource.SparkEntry(JobResource.SparkEntry.SCALA, null, app.mainClass());
        into.args = app.arguments().isEmpty() ? null : app.arguments().stream().map(SparkJobRequests::quote)
                .collect(Collectors.joining(" "));
        into.jars = empty(app.jars());
        into.pyFiles = empty(app.pyFiles());
        into.files = empty(app.files());
        into.archives = empty(app.archives());
        into.conf = app.conf().isEmpty() ? null : app.conf();
    }

    /** The Spark fields of a rendered job (all null for a command job). */
    static final class Fields {
        JobResource.SparkEntry entry;
        String args;
        List<String> jars;
        List<String> pyFiles;
        List<String> files;
        List<String> archives;
        Map<String, String> conf;
    }

    /** Splits {@code args} into words as a POSIX shell does, without expanding anything. */
    static List<String> split(String args) {
        var words = new ArrayList<String>();
        if (args == null) {
            return words;
        }
        var word = new StringBuilder();
        var inWord = false;
        char quote = 0;
        for (int i = 0; i < args.length(); i++) {
            var c = args.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < args.length() && "\"\\$`".indexOf(args.charAt(i + 1)) >= 0) {
                    word.append(args.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < args.length()) {
                word.append(args.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw ApiException.badRequest("InvalidSparkArgs", "args has an unclosed " + quote + " quote.",
                    "properties.args");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** A word as a shell reads it back: as it is when it needs no quoting, else in single quotes. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@%+".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void option(StringBuilder line, String name, List<String> values) {
        if (!values.isEmpty()) {
            line.append(' ').append(name).append(' ').append(quote(String.join(",", values)));
        }
    }

    private static List<String> empty(List<String> values) {
        return values.isEmpty() ? null : values;
    }
}

package dev.hangar.core.files;

import dev.hangar.core.error.ApiException;
import java.util.List;

/**
 * A path in a workspace's file share, as its API names it: folders and a name joined by {@code /}, relative to the
 * share's root (the root itself is the empty path). Every segment is a plain name: never empty, {@code .} or
 * {@code ..}, never holding {@code /}, a backslash or a control character, at most {@value #MAX_SEGMENT} characters;
 * the whole at most {@value #MAX_LENGTH}. So a path can never leave the share by its text; links are
 * {@link FileShare}'s to refuse.
 */
public record FilePath(List<String> segments) {
    static final int MAX_SEGMENT = 255;
    static final int MAX_LENGTH = 1024;

    public FilePath {
        segments = List.copyOf(segments);
    }

    /**
     * The path of {@code text}, with or without a leading or trailing {@code /}.
     *
     * @throws ApiException 400 {@code InvalidFilePath}
     */
    public static FilePath of(String text) {
        if (text == null) {
            return new FilePath(List.of());
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(text, "it is longer than " + MAX_LENGTH + " characters");
        }
        var trimmed = text.startsWith("/") ? text.substring(1) : text;
        trimmed = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        if (trimmed.isEmpty()) {
            return new FilePath(List.of());
        }
        var segments = List.of(trimmed.split("/", -1));
        for (var segment : segments) {
            if (segment.isEmpty()) {
                throw invalid(text, "it has an empty folder name");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid(text, "'" + segment + "' is not a name: paths stay within the share");
            }
            if (segment.length() > MAX_SEGMENT) {
                throw invalid(text, "a name is longer than " + MAX_SEGMENT + " characters");
            }
            if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
                throw invalid(text, "a name holds a control character or a backslash");
            }
        }
        return new FilePath(segments);
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The last segment; empty for the root. */
    public String name() {
        return isRoot() ? "" : segments.getLast();
    }

    /** Whether this path is {@code folder} or inside it. */
    public boolean within(FilePath folder) {
        return segments.size() >= folder.segments.size()
                && segments.subList(0, folder.segments.size()).equals(folder.segments);
    }

    public FilePath child(String name) {
        var longer = new java.util.ArrayList<>(segments);
        longer.add(name);
        return new FilePath(longer);
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }

    private static ApiException invalid(String text, String why) {
        return ApiException.badRequest("InvalidFilePath", "'" + text + "' is not a path in the file share: " + why
                + ".", "path");
    }
}

package dev.hangar.core.access;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of a role's {@code actions} or {@code notActions}, as Azure writes them: an action string such as
 * {@code Microsoft.MachineLearningServices/workspaces/computes/start/action}, in which {@code *} stands for any run of
 * characters: {@code *}, {@code Microsoft.MachineLearningServices/workspaces/computes/*}, or <code>&#42;/read</code>.
 * Matching ignores case, as Azure's does.
 */
public record ActionPattern(String text) {
    /** A provider namespace, then segments; letters, digits, dots, hyphens, underscores and {@code *} only. */
    private static final Pattern WELL_FORMED = Pattern.compile(
            "\\*|[A-Za-z0-9*][A-Za-z0-9._*-]*(/[A-Za-z0-9._*-]+)+");
    private static final int MAX_LENGTH = 512;

    public ActionPattern {
        if (text == null || text.length() > MAX_LENGTH || !WELL_FORMED.matcher(text).matches()
                || text.contains("**")) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ACTION, "'" + text + "' is not a valid action string."
                    + " Write it as Azure does: a provider and path segments separated by '/', e.g."
                    + " 'Microsoft.MachineLearningServices/workspaces/computes/read', with '*' for any characters"
                    + " ('Microsoft.MachineLearningServices/workspaces/computes/*', '*/read', '*').", "permissions");
        }
    }

    /** Whether {@code action} is one this pattern names. */
    public boolean matches(String action) {
        return matches(text.toLowerCase(Locale.ROOT), 0, action.toLowerCase(Locale.ROOT), 0);
    }

    public boolean matches(Action action) {
        return matches(action.azureName());
    }

    /** Glob matching with {@code *} only: linear in practice, since patterns hold one or two stars. */
    private static boolean matches(String pattern, int p, String action, int a) {
        while (p < pattern.length()) {
            var c = pattern.charAt(p);
            if (c == '*') {
                if (p == pattern.length() - 1) {
                    return true;
                }
                for (int from = a; from <= action.length(); from++) {
                    if (matches(pattern, p + 1, action, from)) {
                        return true;
                    }
                }
                return false;
            }
            if (a >= action.length() || action.charAt(a) != c) {
                return false;
            }
            p++;
            a++;
        }
        return a == action.length();
    }

    @Override
    public String toString() {
        return text;
    }
}

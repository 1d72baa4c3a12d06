package dev.hangar.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Lists audit events, newest first: every call that changed something (or tried to) and every",
            "state an instance reached, with who, what, the outcome and the request id."},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar events --since 1h",
            "  hangar events --actor alice --result Failed",
            "  hangar events --action stateTransition --target my-notebook",
            "  hangar events --all        # every workspace and what belongs to none (administrators)"})
final class EventsCommand extends HangarCommand {
    private static final java.util.regex.Pattern WORKSPACE_PATH = java.util.regex.Pattern.compile(
            "(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.MachineLearningServices/workspaces/");

    @Option(names = "--since", paramLabel = "WHEN", description = "a duration back (30m, 2h, 7d) or an ISO 8601 instant")
    String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "as --since")
    String until;

    @Option(names = "--actor", paramLabel = "USER")
    String actor;

    @Option(names = "--action", paramLabel = "TEXT", description = "part of the action string")
    String action;

    @Option(names = "--target", paramLabel = "TEXT", description = "part of the path or compute name")
    String target;

    @Option(names = "--result", paramLabel = "RESULT", description = "Succeeded, Accepted or Failed")
    String result;

    @Option(names = "--top", paramLabel = "N", description = "at most N events (default 100, at most 1000)")
    Integer top;

    @Option(names = "--all", description = "every workspace's events and those of none (administrators)")
    boolean all;

    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOptions verbose;

    EventsCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        var now = Instant.now();
        try (var connection = context.connect()) {
            var query = new LinkedHashMap<String, String>();
            query.put("workspace", all ? "*" : connection.workspace(workspace).name());
            query.put("since", instant(since, "--since", now));
            query.put("until", instant(until, "--until", now));
            query.put("actor", actor);
            query.put("action", action);
            query.put("target", target);
            query.put("result", result);
            query.put("top", top == null ? null : top.toString());
            var events = connection.client().events(query);
            if (output.json()) {
                printJson(events);
                return ExitCodes.OK;
            }
            var table = new Table("TIME", "ACTOR", "ACTION", "TARGET", "RESULT", "DETAIL").text("DETAIL")
                    .wide(output.wide);
            events.forEach(event -> table.row(event.time(), event.actor(), shortAction(event.action()),
                    shortTarget(event.target()), event.result() + (event.errorCode() == null ? "" : " " + event.errorCode()),
                    event.detail() == null ? "" : event.detail()));
            table.print(out());
            return ExitCodes.OK;
        }
    }

    /** The action without its provider: {@code computes/stop/action}. */
    private static String shortAction(String action) {
        var prefix = "Microsoft.MachineLearningServices/workspaces/";
        return action.startsWith(prefix) ? action.substring(prefix.length()) : action;
    }

    /** A path in a workspace from the workspace's name on: {@code default/computes/ci1}. */
    static String shortTarget(String target) {
        return target == null ? "" : WORKSPACE_PATH.matcher(target).replaceFirst("");
    }

    private static String instant(String text, String option, Instant now) {
        if (text == null) {
            return null;
        }
        var trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.matches("\\d+[smhd]")) {
            var amount = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
            var unit = switch (trimmed.charAt(trimmed.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(unit).toString();
        }
        try {
            return Instant.parse(text.strip()).toString();
        } catch (DateTimeParseException e) {
            throw new CliException("InvalidTime", option + " takes a duration back (30m, 2h, 7d) or an ISO 8601"
                    + " instant such as 2026-01-31T12:00:00Z; got '" + text + "'", ExitCodes.USAGE);
        }
    }
}

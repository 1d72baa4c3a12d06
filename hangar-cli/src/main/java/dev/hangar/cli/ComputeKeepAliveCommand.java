package dev.hangar.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "keepalive", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keeps a compute instance from idle shutdown: it counts as in use for the time given, whatever it"
                + " does. A keep-alive replaces the one before; --for 0 ends it.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute keepalive -n ci1 --for 2h",
            "  hangar compute keepalive -n ci1 --for 1h30m -o json",
            "  hangar compute keepalive -n ci1 --for 0"})
final class ComputeKeepAliveCommand extends OneComputeCommand {
    @Option(names = "--for", required = true, paramLabel = "DURATION", converter = HumanDuration.class,
            description = "how long from now: 2h, 90m, 45s, 1h30m or ISO-8601 (PT2H), at most 3 days; 0 ends the"
                    + " keep-alive")
    Duration duration;

    ComputeKeepAliveCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var until = connection.computes(workspace).keepAlive(name, duration);
            if (output.json()) {
                printJson(Collections.singletonMap("keepAliveUntil", until.orElse(null)));
            } else if (until.isPresent()) {
                out().printf("Compute '%s' counts as in use until %s.%n", name, until.get());
            } else {
                out().printf("Compute '%s' no longer has a keep-alive.%n", name);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code 2h}, {@code 90m}, {@code 45s}, {@code 1d} or several ({@code 1h30m}), {@code 0}, or ISO-8601. */
    static final class HumanDuration implements ITypeConverter<Duration> {
        private static final Pattern UNITS = Pattern.compile("(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?"
                + "(?:(\\d{1,9})s)?");

        @Override
        public Duration convert(String text) {
            var trimmed = text.strip().toLowerCase(Locale.ROOT);
            if (trimmed.equals("0")) {
                return Duration.ZERO;
            }
            var units = UNITS.matcher(trimmed);
            if (!trimmed.isEmpty() && units.matches()) {
                return Duration.ofDays(amount(units, 1)).plusHours(amount(units, 2)).plusMinutes(amount(units, 3))
                        .plusSeconds(amount(units, 4));
            }
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + text + "' is not a duration such as 2h, 90m, 45s, 1h30m or"
                        + " PT2H");
            }
        }

        private static long amount(Matcher units, int group) {
            return units.group(group) == null ? 0 : Long.parseLong(units.group(group));
        }
    }
}

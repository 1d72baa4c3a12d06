package dev.hangar.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * An instance's idle time before shutdown, as az names its options: {@code --idle-time-before-shutdown-minutes N}, sent
 * as {@code PT<N>M}, or {@code --idle-time-before-shutdown} with an ISO-8601 duration. The server checks the range.
 */
final class IdleTimeOptions {
    @Option(names = "--idle-time-before-shutdown-minutes", paramLabel = "MINUTES", description = "instances: stop"
            + " the instance once nothing has used it for this many minutes (15 to 4320)")
    Integer minutes;

    @Option(names = "--idle-time-before-shutdown", paramLabel = "DURATION", converter = Iso.class,
            description = "instances: the idle time as an ISO-8601 duration, e.g. PT30M or PT2H; not with"
                    + " --idle-time-before-shutdown-minutes")
    Duration duration;

    boolean given() {
        return minutes != null || duration != null;
    }

    /** The idle time given, or {@code null}; both options are a usage error of {@code command}. */
    Duration idleTime(CommandSpec command) {
        if (minutes != null && duration != null) {
            throw new ParameterException(command.commandLine(), "--idle-time-before-shutdown-minutes and"
                    + " --idle-time-before-shutdown exclude each other: give the idle time once");
        }
        return minutes != null ? Duration.ofMinutes(minutes) : duration;
    }

    /** An ISO-8601 duration; a bare number, which az would send as it is, is refused with the option for minutes. */
    static final class Iso implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            var trimmed = text.strip();
            if (trimmed.matches("\\d+")) {
                throw new TypeConversionException("'" + trimmed + "' is not an ISO-8601 duration: give PT" + trimmed
                        + "M, or --idle-time-before-shutdown-minutes " + trimmed);
            }
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + text + "' is not an ISO-8601 duration such as PT30M");
            }
        }
    }
}

package dev.hangar.server.studio;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the studio's pages write a time: in UTC, and saying so. */
final class StudioTimes {
    /** To the minute: when something was made or changed. */
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** To the second: a history's moments. */
    static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private StudioTimes() {
    }
}

package dev.hangar.core.schedule;

import dev.hangar.core.error.ApiException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A schedule's time zone by name: an IANA name ({@code Europe/Berlin}), or a Windows name ({@code Pacific Standard
 * Time}), which Azure's clients send, mapped to its IANA zone by the Unicode CLDR tables (through ICU); {@code UTC} when
 * none is given.
 */
public final class ScheduleZones {
    public static final String INVALID = "InvalidTimeZone";

    private ScheduleZones() {
    }

    /** The zone {@code name} names; 400 {@value #INVALID} for a name neither IANA nor Windows knows. */
    public static ZoneId of(String name, String field) {
        if (name == null || name.isBlank()) {
            return ZoneOffset.UTC;
        }
        var trimmed = name.strip();
        try {
            return ZoneId.of(trimmed);
        } catch (DateTimeException notIana) {
            var iana = com.ibm.icu.util.TimeZone.getIDForWindowsID(trimmed, "001");
            if (iana != null) {
                return ZoneId.of(iana);
            }
            throw ApiException.badRequest(INVALID, "'" + name + "' is not a time zone: give an IANA name such as"
                    + " Europe/Berlin or a Windows name such as Pacific Standard Time.", field);
        }
    }
}

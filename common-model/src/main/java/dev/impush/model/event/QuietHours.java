package dev.impush.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.impush.model.Violations;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A user's do-not-disturb schedule: every day from {@link #from()} until {@link #to()} (local
 * {@code HH:mm}, in {@link #zone()}; {@code to} before {@code from} runs past midnight).
 *
 * @param mode          what a push in quiet hours becomes: {@code silent} (the default: shown without sound,
 *                      passive) or {@code drop} (not sent)
 * @param allowMentions a message that @mentions the user breaks through (pushed as usual); default false
 * @param allowCalls    calls ring as usual; default false
 */
public record QuietHours(String from, String to, String zone, Mode mode, boolean allowMentions, boolean allowCalls) {
    private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    /** Longest zone id accepted (the IANA names are far shorter). */
    public static final int MAX_ZONE_LENGTH = 64;

    public enum Mode {
        @JsonProperty("silent") SILENT,
        @JsonProperty("drop") DROP
    }

    public Mode modeOrDefault() {
        return mode == null ? Mode.SILENT : mode;
    }

    List<String> violations() {
        Violations v = new Violations().required("quietHours.from", from).required("quietHours.to", to)
                .required("quietHours.zone", zone).maxLength("quietHours.zone", zone, MAX_ZONE_LENGTH);
        v.check(from == null || HH_MM.matcher(from).matches(), "quietHours.from must be HH:mm (00:00 to 23:59)");
        v.check(to == null || HH_MM.matcher(to).matches(), "quietHours.to must be HH:mm (00:00 to 23:59)");
        v.check(from == null || !from.equals(to), "quietHours.from and quietHours.to must differ");
        v.check(zone == null || zone.length() > MAX_ZONE_LENGTH || knownZone(zone),
                "quietHours.zone '" + zone + "' is not a time zone id (e.g. Asia/Shanghai, Europe/Berlin, UTC+08:00)");
        return v.messages();
    }

    private static boolean knownZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Whether {@code now} falls in the quiet hours, in the user's zone. Call only on a valid value. */
    public boolean isQuiet(Instant now) {
        LocalTime t = LocalTime.ofInstant(now, ZoneId.of(zone));
        LocalTime start = parse(from);
        LocalTime end = parse(to);
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    private static LocalTime parse(String hhmm) {
        try {
            return LocalTime.parse(hhmm);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("quiet hours were validated: " + hhmm, e);
        }
    }
}

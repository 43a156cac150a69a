package dev.impush.detector.coalesce;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.time.Duration;
import java.util.Locale;

/**
 * Group-storm coalescing: per (user, conversation) the first message pushes at once, later ones within
 * the window are held and go out as one update that replaces it on the device.
 *
 * @param window         {@code IMPUSH_DETECTOR_COALESCE_WINDOW_MS}, default 3000 (0 turns coalescing off, at most
 *                       600000): how long after a push of a conversation further messages are held; while
 *                       messages keep coming, one update per window
 * @param bypassMentions {@code IMPUSH_DETECTOR_COALESCE_BYPASS} contains {@code mention} (the default
 *                       {@code mention,direct}): a message that @mentions the user pushes at once
 * @param bypassDirect   {@code IMPUSH_DETECTOR_COALESCE_BYPASS} contains {@code direct}: messages of direct
 *                       (one-to-one) conversations push at once; {@code none} coalesces both
 */
public record CoalesceSettings(Duration window, boolean bypassMentions, boolean bypassDirect) {
    public static final String WINDOW_MS = "IMPUSH_DETECTOR_COALESCE_WINDOW_MS";
    public static final String BYPASS = "IMPUSH_DETECTOR_COALESCE_BYPASS";
    public static final Duration MAX_WINDOW = Duration.ofMinutes(10);
    public static final CoalesceSettings DEFAULTS = new CoalesceSettings(Duration.ofSeconds(3), true, true);
    /** Every message pushes on its own. */
    public static final CoalesceSettings OFF = new CoalesceSettings(Duration.ZERO, true, true);

    public CoalesceSettings {
        if (window == null || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
            throw new ConfigException(WINDOW_MS + " must lie between 0 and " + MAX_WINDOW.toMillis());
        }
    }

    public boolean enabled() {
        return !window.isZero();
    }

    public static CoalesceSettings fromEnv(Env env) {
        return new CoalesceSettings(
                Duration.ofMillis(env.integer(WINDOW_MS, (int) DEFAULTS.window.toMillis(), 0, (int) MAX_WINDOW.toMillis())),
                bypass(env, "mention"), bypass(env, "direct"));
    }

    private static boolean bypass(Env env, String kind) {
        boolean found = false;
        for (String part : env.string(BYPASS, "mention,direct").split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (!p.equals("mention") && !p.equals("direct") && !p.equals("none")) {
                throw new ConfigException(BYPASS + ": '" + part.strip() + "' is not one of mention, direct, none");
            }
            found |= p.equals(kind);
        }
        return found;
    }

    public CoalesceSettings withWindow(Duration v) {
        return new CoalesceSettings(v, bypassMentions, bypassDirect);
    }

    public CoalesceSettings withBypass(boolean mentions, boolean direct) {
        return new CoalesceSettings(window, mentions, direct);
    }
}

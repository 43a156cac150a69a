package dev.impush.worker.quota;

import dev.impush.model.Channel;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A vendor app's budget, shared by every worker replica: vendors count QPS and daily quotas per
 * app, not per connection.
 *
 * @param qps        sends per second, 0 = unlimited (IMPUSH_&lt;VENDOR&gt;_QPS)
 * @param burst      sends allowed at once after a quiet period (IMPUSH_&lt;VENDOR&gt;_BURST, default = qps)
 * @param dailyQuota sends per day, 0 = unlimited (IMPUSH_&lt;VENDOR&gt;_DAILY_QUOTA)
 * @param resetZone  the time zone whose midnight resets the daily count (IMPUSH_&lt;VENDOR&gt;_QUOTA_ZONE)
 */
public record QuotaLimits(double qps, long burst, long dailyQuota, ZoneId resetZone) {

    public boolean unlimited() {
        return qps <= 0 && dailyQuota <= 0;
    }

    /** The configured limits of every channel that has any. */
    public static Map<Channel, QuotaLimits> fromEnv(Env env) {
        Map<Channel, QuotaLimits> limits = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            String p = "IMPUSH_" + c.name() + "_";
            int qps = env.integer(p + "QPS", 0, 0, 10_000_000);
            int burst = env.integer(p + "BURST", qps, 0, 10_000_000);
            int daily = env.integer(p + "DAILY_QUOTA", 0, 0, Integer.MAX_VALUE);
            String zone = env.string(p + "QUOTA_ZONE", c == Channel.APNS || c == Channel.FCM ? "UTC" : "Asia/Shanghai");
            ZoneId z;
            try {
                z = ZoneId.of(zone);
            } catch (RuntimeException e) {
                throw new ConfigException(p + "QUOTA_ZONE=" + zone + " is not a time zone id");
            }
            QuotaLimits l = new QuotaLimits(qps, Math.max(1, burst), daily, z);
            if (!l.unlimited()) {
                limits.put(c, l);
            }
        }
        return limits;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.0f/s (burst %d), %d/day reset at midnight %s", qps, burst, dailyQuota, resetZone);
    }
}

package dev.impush.worker.quota;

import dev.impush.model.Channel;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.AppsFile;
import dev.impush.worker.channel.VendorApp;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A vendor app's budget, shared by every worker replica: vendors count QPS and daily quotas per
 * app, not per connection.
 *
 * @param qps        sends per second, 0 = unlimited (IMPUSH_&lt;VENDOR&gt;_QPS)
 * @param burst      sends allowed at once after a quiet period (IMPUSH_&lt;VENDOR&gt;_BURST, default = qps);
 *                   at least 1 under a rate, and 0 (meaningless) without one
 * @param dailyQuota sends per day, 0 = unlimited (IMPUSH_&lt;VENDOR&gt;_DAILY_QUOTA)
 * @param resetZone  the time zone whose midnight resets the daily count (IMPUSH_&lt;VENDOR&gt;_QUOTA_ZONE)
 * @param chatReservePercent the share of the daily quota the bulk lane leaves to chat
 *                   (IMPUSH_&lt;VENDOR&gt;_CHAT_RESERVE_PERCENT): bulk sends are held once the day's count
 *                   reaches the rest, chat sends only at the full quota
 */
public record QuotaLimits(double qps, long burst, long dailyQuota, ZoneId resetZone, int chatReservePercent) {
    /** The most permits one lease round trip asks for. */
    static final int MAX_LEASE = 256;
    public static final int DEFAULT_CHAT_RESERVE_PERCENT = 20;

    public QuotaLimits {
        burst = qps > 0 ? Math.max(1, burst) : 0;
        if (chatReservePercent < 0 || chatReservePercent > 99) {
            throw new IllegalArgumentException("chatReservePercent must be 0-99: " + chatReservePercent);
        }
    }

    /** Limits with the default chat reserve. */
    public QuotaLimits(double qps, long burst, long dailyQuota, ZoneId resetZone) {
        this(qps, burst, dailyQuota, resetZone, DEFAULT_CHAT_RESERVE_PERCENT);
    }

    /** The daily count at which the bulk lane is spent: the quota less the chat reserve (at least 1); 0 without a quota. */
    long bulkDailyQuota() {
        return dailyQuota <= 0 ? 0 : Math.max(1, dailyQuota - Math.round(dailyQuota * (chatReservePercent / 100.0)));
    }

    public boolean unlimited() {
        return qps <= 0 && dailyQuota <= 0;
    }

    /**
     * Permits a replica leases ahead under a rate: about 50 ms worth, at least 1, at most the burst
     * (and {@link #MAX_LEASE}), so most sends are admitted locally. 0 without a rate.
     */
    int leaseAhead() {
        return qps > 0 ? (int) Math.min(Math.min(burst, MAX_LEASE), Math.max(1, (long) Math.ceil(qps / 20))) : 0;
    }

    /**
     * Permits to ask the shared budget for when {@code waiting} sends wait: those sends, or
     * {@link #leaseAhead()} if more, capped by the burst and {@link #MAX_LEASE}. With a daily quota
     * only this is just the waiting sends: every permit leased is used at once, so no replica sits
     * on budget another one could use and the daily count stays exact.
     */
    int leaseSize(int waiting) {
        int demand = Math.max(1, waiting);
        long cap = qps > 0 ? Math.min(burst, MAX_LEASE) : MAX_LEASE;
        return (int) Math.min(cap, Math.max(demand, leaseAhead()));
    }

    /**
     * The configured limits of every vendor app that has any: the shared credentials' from the
     * top-level keys, each app's in the apps file from its own keys over them (its own budget, as the
     * vendor counts it per app).
     */
    public static Map<VendorApp, QuotaLimits> fromEnv(Env env) {
        Map<VendorApp, QuotaLimits> limits = new LinkedHashMap<>();
        ofVendors(env).forEach((c, l) -> limits.put(VendorApp.shared(c), l));
        AppsFile.fromEnv(env).ifPresent(file -> file.apps().forEach(app -> ofVendors(file.env(app, env)).forEach((c, l) -> {
            if (file.credentialed(app).contains(c)) {
                limits.put(VendorApp.of(c, app), l);
            }
        })));
        return limits;
    }

    private static Map<Channel, QuotaLimits> ofVendors(Env env) {
        Map<Channel, QuotaLimits> limits = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            String p = "IMPUSH_" + c.name() + "_";
            int qps = env.integer(p + "QPS", 0, 0, 10_000_000);
            int burst = env.integer(p + "BURST", qps, 0, 10_000_000);
            int daily = env.integer(p + "DAILY_QUOTA", 0, 0, Integer.MAX_VALUE);
            int reserve = env.integer(p + "CHAT_RESERVE_PERCENT", DEFAULT_CHAT_RESERVE_PERCENT, 0, 99);
            String zone = env.string(p + "QUOTA_ZONE", c == Channel.APNS || c == Channel.FCM || c == Channel.WEBPUSH ? "UTC" : "Asia/Shanghai");
            ZoneId z;
            try {
                z = ZoneId.of(zone);
            } catch (RuntimeException e) {
                throw new ConfigException(p + "QUOTA_ZONE=" + zone + " is not a time zone id");
            }
            QuotaLimits l = new QuotaLimits(qps, burst, daily, z, reserve);
            if (!l.unlimited()) {
                limits.put(c, l);
            }
        }
        return limits;
    }

    @Override
    public String toString() {
        String rate = qps > 0 ? String.format(Locale.ROOT, "%.0f/s (burst %d)", qps, burst) : "no rate limit";
        String daily = dailyQuota > 0 ? dailyQuota + "/day reset at midnight " + resetZone + " (" + chatReservePercent
                + "% kept for chat)" : "no daily quota";
        return rate + ", " + daily;
    }
}

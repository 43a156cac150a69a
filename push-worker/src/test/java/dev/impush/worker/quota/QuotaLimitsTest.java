package dev.impush.worker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.VendorApp;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaLimitsTest {

    @Test
    void dailyQuotaOnly_hasNoBurst_soNothingThrottlesItToOneAtATime() {
        QuotaLimits l = QuotaLimits.fromEnv(Env.of(Map.of("IMPUSH_OPPO_DAILY_QUOTA", "100000"))).get(VendorApp.shared(Channel.OPPO));
        assertEquals(0, l.qps());
        assertEquals(0, l.burst(), "burst means nothing without a rate");
        assertEquals(100_000, l.dailyQuota());
    }

    @Test
    void burst_defaultsToQps_andIsAtLeastOneUnderARate() {
        var limits = QuotaLimits.fromEnv(Env.of(Map.of(
                "IMPUSH_VIVO_QPS", "500",
                "IMPUSH_HONOR_QPS", "20", "IMPUSH_HONOR_BURST", "0")));
        assertEquals(500, limits.get(VendorApp.shared(Channel.VIVO)).burst());
        assertEquals(1, limits.get(VendorApp.shared(Channel.HONOR)).burst());
    }

    @Test
    void dailyQuotaOnly_leasesWhatWaits_upTo256_andNeverAhead() {
        QuotaLimits l = new QuotaLimits(0, 0, 100_000, ZoneOffset.UTC);
        assertEquals(0, l.leaseAhead());
        assertEquals(1, l.leaseSize(0));
        assertEquals(1, l.leaseSize(1));
        assertEquals(137, l.leaseSize(137));
        assertEquals(256, l.leaseSize(5_000));
    }

    @Test
    void underARate_leasesAbout50msAhead_withinTheBurst() {
        QuotaLimits l = new QuotaLimits(1_000, 1_000, 0, ZoneOffset.UTC);
        assertEquals(50, l.leaseAhead());
        assertEquals(50, l.leaseSize(1));
        assertEquals(200, l.leaseSize(200));
        assertEquals(256, l.leaseSize(5_000));
        assertEquals(1, new QuotaLimits(5, 5, 0, ZoneOffset.UTC).leaseSize(1), "a slow rate still leases 1");
        assertEquals(3, new QuotaLimits(1_000, 3, 0, ZoneOffset.UTC).leaseSize(100), "never beyond the burst");
    }

    @Test
    void noLimits_noEntry() {
        assertTrue(QuotaLimits.fromEnv(Env.of(Map.of())).isEmpty());
    }

    @Test
    void theBulkLane_getsTheDailyQuotaLessTheChatReserve_atLeastOne() {
        assertEquals(80, new QuotaLimits(0, 0, 100, ZoneOffset.UTC).bulkDailyQuota(), "20 % kept for chat by default");
        assertEquals(1, new QuotaLimits(0, 0, 100, ZoneOffset.UTC, 99).bulkDailyQuota());
        assertEquals(0, new QuotaLimits(100, 100, 0, ZoneOffset.UTC).bulkDailyQuota(), "no daily quota: none");
        QuotaLimits l = QuotaLimits.fromEnv(Env.of(Map.of("IMPUSH_VIVO_DAILY_QUOTA", "1000",
                "IMPUSH_VIVO_CHAT_RESERVE_PERCENT", "35"))).get(VendorApp.shared(Channel.VIVO));
        assertEquals(650, l.bulkDailyQuota());
        assertThrows(ConfigException.class, () -> QuotaLimits.fromEnv(Env.of(Map.of("IMPUSH_VIVO_DAILY_QUOTA", "1000",
                "IMPUSH_VIVO_CHAT_RESERVE_PERCENT", "100"))));
    }
}

package dev.impush.worker.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTiersTest {
    @Test
    void parse_aLadder_namesTopicsByDelay() {
        RetryTiers t = RetryTiers.parse("push.retry.", "10s,1m,10m", "IMPUSH_RETRY_TIERS");
        assertEquals(List.of("push.retry.10s", "push.retry.1m", "push.retry.10m"), t.topics());
        assertEquals(Duration.ofMinutes(1), t.forAttempt(1).orElseThrow().delay());
        assertTrue(t.forAttempt(3).isEmpty(), "after the last tier: dead letter");
        assertTrue(t.isTier("push.retry.1m"));
    }

    @Test
    void parse_millisAndHours() {
        RetryTiers t = RetryTiers.parse("r.", "500ms,2h", "K");
        assertEquals(Duration.ofMillis(500), t.forAttempt(0).orElseThrow().delay());
        assertEquals(Duration.ofHours(2), t.forAttempt(1).orElseThrow().delay());
    }

    @Test
    void parse_empty_meansNoTiers() {
        assertTrue(RetryTiers.parse("r.", "", "K").forAttempt(0).isEmpty());
    }

    @Test
    void parse_badUnitOrDecreasingDelays_namesTheKey() {
        var e = assertThrows(ConfigException.class, () -> RetryTiers.parse("r.", "10x", "IMPUSH_RETRY_TIERS"));
        assertTrue(e.getMessage().contains("IMPUSH_RETRY_TIERS"));
        assertThrows(ConfigException.class, () -> RetryTiers.parse("r.", "1m,10s", "IMPUSH_RETRY_TIERS"));
    }

    @Test
    void formerTiers_areTheOtherTierTopicsThatExist_andStillDelayed() {
        RetryTiers t = RetryTiers.parse("push.retry.", "5s,30s", "IMPUSH_RETRY_TIERS");
        List<String> existing = List.of("push.jobs", "push.retry.5s", "push.retry.10s", "push.retry.1m",
                "push.retry.old", "push.park.fcm", "push.retry.30s");
        assertEquals(List.of("push.retry.10s", "push.retry.1m"), t.formerTiers(existing));
        assertTrue(t.isDelayed("push.retry.10s"));
        assertTrue(t.isDelayed("push.park.fcm"));
        assertEquals(dev.impush.model.Channel.FCM, t.parkedChannel("push.park.fcm"));
        assertTrue(!t.isDelayed("push.jobs"));
    }
}

package dev.impush.worker.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanesTest {
    private static final Lanes LANES = Lanes.of("push.jobs", "push.jobs.bulk",
            RetryTiers.parse("push.retry.", "5s,1m", "IMPUSH_RETRY_TIERS"));

    @Test
    void theBulkLane_hasItsOwnTiersAndParkingTopics_withTheSameDelays() {
        assertEquals(List.of("push.retry.bulk.5s", "push.retry.bulk.1m"), LANES.bulk().topics());
        assertEquals(Duration.ofMinutes(1), LANES.bulk().forAttempt(1).orElseThrow().delay());
        assertEquals("push.park.bulk.xiaomi", LANES.bulk().parkTopic(Channel.XIAOMI));
        assertEquals(List.of("push.retry.5s", "push.retry.1m"), LANES.chat().topics());
    }

    @Test
    void aTopicsLane_isBulkOnlyForTheBulkJobsTiersAndParkingTopics() {
        for (String bulk : List.of("push.jobs.bulk", "push.retry.bulk.5s", "push.retry.bulk.10s", "push.park.bulk.apns")) {
            assertEquals(Lane.BULK, LANES.laneOf(bulk), bulk);
        }
        for (String chat : List.of("push.jobs", "push.retry.5s", "push.retry.10s", "push.park.apns")) {
            assertEquals(Lane.CHAT, LANES.laneOf(chat), chat);
        }
    }

    @Test
    void tiersAndParkingTopicsOfBothLanes_areDelayed_andParkingTopicsNameTheirChannel() {
        assertTrue(LANES.isDelayed("push.retry.bulk.5s"));
        assertTrue(LANES.isDelayed("push.park.bulk.vivo"));
        assertTrue(LANES.isDelayed("push.park.vivo"));
        assertFalse(LANES.isDelayed("push.jobs.bulk"));
        assertEquals(Channel.VIVO, LANES.parkedChannel("push.park.bulk.vivo"));
        assertEquals(Channel.VIVO, LANES.parkedChannel("push.park.vivo"));
        assertNull(LANES.parkedChannel("push.retry.bulk.5s"));
    }

    @Test
    void topics_andFormerTiers_coverBothLanes() {
        assertEquals(List.of("push.jobs", "push.jobs.bulk", "push.retry.5s", "push.retry.1m", "push.park.apns",
                "push.retry.bulk.5s", "push.retry.bulk.1m", "push.park.bulk.apns"), LANES.topics(List.of(Channel.APNS)));
        assertEquals(List.of("push.retry.10s", "push.retry.bulk.10s"), LANES.formerTiers(List.of("push.retry.10s",
                "push.retry.bulk.10s", "push.retry.bulk.5s", "push.retry.5s", "push.jobs.bulk", "push.park.bulk.apns")));
    }
}

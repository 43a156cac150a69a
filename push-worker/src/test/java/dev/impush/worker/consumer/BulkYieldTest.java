package dev.impush.worker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.model.Lane;
import dev.impush.worker.TestClock;
import dev.impush.worker.pipeline.Finished;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When the bulk lane yields to chat, on Kafka's own in-memory consumer (no broker: pause state only). */
class BulkYieldTest {
    private static final TopicPartition CHAT = new TopicPartition("push.jobs", 0);
    private static final TopicPartition BULK = new TopicPartition("push.jobs.bulk", 0);
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final TestClock clock = new TestClock(NOW);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OffsetCommits offsets = new OffsetCommits(consumer, Duration.ofSeconds(1));
    private final BulkYield yield = new BulkYield(consumer,
            topic -> topic.endsWith(".bulk") ? Lane.BULK : Lane.CHAT,
            new DelayedPartitions(t -> false, t -> null, c -> 0), offsets, 2, Duration.ofMillis(25), clock);

    BulkYieldTest() {
        consumer.assign(List.of(CHAT, BULK));
        consumer.updateBeginningOffsets(Map.of(CHAT, 0L, BULK, 0L));
        consumer.updateEndOffsets(Map.of(CHAT, 0L, BULK, 100L));
        consumer.seek(CHAT, 0);
        consumer.seek(BULK, 0);
        offsets.assigned(List.of(CHAT, BULK));
    }

    @Test
    void aChatBacklog_pausesBulk_untilItIsTaken() {
        consumer.updateEndOffsets(Map.of(CHAT, 5L));
        yield.apply(false);
        assertEquals(Set.of(BULK), consumer.paused());

        consumer.seek(CHAT, 5); // taken
        yield.apply(false);
        assertEquals(Set.of(), consumer.paused());
    }

    @Test
    void aChatRecordWaitingLongerThanTheYieldAge_pausesBulk_untilItFinishes() {
        offsets.tracker(CHAT).track(0, NOW.toEpochMilli());
        clock.advance(Duration.ofMillis(20));
        yield.apply(false);
        assertEquals(Set.of(), consumer.paused(), "20 ms is within the age");

        clock.advance(Duration.ofMillis(10));
        yield.apply(false);
        assertEquals(Set.of(BULK), consumer.paused());

        offsets.finished(List.of(new Finished(CHAT, 0, offsets.tracker(CHAT).generation)));
        yield.apply(false);
        assertEquals(Set.of(), consumer.paused());
    }

    @Test
    void bulkAtItsShareInFlight_pausesBulk_andStaysPausedWhileTheLoopHoldsEverything() {
        offsets.tracker(BULK).track(0, NOW.toEpochMilli());
        offsets.tracker(BULK).track(1, NOW.toEpochMilli());
        yield.apply(false);
        assertEquals(Set.of(BULK), consumer.paused());

        offsets.finished(List.of(new Finished(BULK, 0, offsets.tracker(BULK).generation)));
        yield.apply(true); // the loop holds every partition (its in-flight bound) and resumes them itself
        assertEquals(Set.of(BULK), consumer.paused());
    }
}

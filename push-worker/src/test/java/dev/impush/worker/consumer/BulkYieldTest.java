package dev.impush.worker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Lane;
import dev.impush.worker.TestClock;
import dev.impush.worker.pipeline.Finished;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
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
        yield.apply(false, 0);
        assertEquals(Set.of(BULK), consumer.paused());

        consumer.seek(CHAT, 5); // taken
        yield.apply(false, 0);
        assertEquals(Set.of(), consumer.paused());
    }

    @Test
    void aChatRecordTakenLaterThanChatUsuallyIs_pausesBulk_forTheWindow() {
        yield.taken(chatRecords(5, 5, 5)); // taken 5 ms after written: the floor
        yield.apply(false, 0);
        yield.taken(chatRecords(25)); // 20 ms over the floor: within the yield age
        yield.apply(false, 0);
        assertEquals(Set.of(), consumer.paused(), "20 ms over the floor is within the age");

        yield.taken(chatRecords(8, 40)); // 35 ms over
        yield.apply(false, 0);
        assertEquals(Set.of(BULK), consumer.paused());

        clock.advance(Duration.ofMillis(30)); // the window ends; nothing slow since
        yield.apply(false, 0);
        yield.apply(false, 0);
        assertEquals(Set.of(), consumer.paused());
    }

    @Test
    void clockSkewAndAVendorsAnswerTime_doNotCount() {
        yield.taken(chatRecords(700, 705, 710)); // the producer's clock is 700 ms behind
        yield.apply(false, 0);
        offsets.tracker(CHAT).track(0, clock.millis()); // a send waiting for a slow vendor
        clock.advance(Duration.ofMillis(500));
        yield.taken(chatRecords(720));
        yield.apply(false, 0);
        assertEquals(Set.of(), consumer.paused());
        assertEquals(Double.POSITIVE_INFINITY, yield.rate());
    }

    @Test
    void bulkAtItsShareInFlight_pausesBulk_andStaysPausedWhileTheLoopHoldsEverything() {
        offsets.tracker(BULK).track(0, NOW.toEpochMilli());
        offsets.tracker(BULK).track(1, NOW.toEpochMilli());
        yield.apply(false, 0);
        assertEquals(Set.of(BULK), consumer.paused());

        offsets.finished(List.of(new Finished(BULK, 0, offsets.tracker(BULK).generation)));
        yield.apply(true, 0); // the loop holds every partition (its in-flight bound) and resumes them itself
        assertEquals(Set.of(BULK), consumer.paused());
    }

    @Test
    void whileChatIsSlow_theBulkRateHalves_andWhileItKeepsUpTheRateGrowsBackToUnlimited() {
        yield.taken(chatRecords(5)); // the floor
        for (int i = 0; i < 8; i++) { // 100 bulk records each 100 ms: 1,000/s
            yield.released(100);
            clock.advance(Duration.ofMillis(100));
            yield.apply(false, 0);
        }
        assertEquals(Double.POSITIVE_INFINITY, yield.rate(), "no limit while chat keeps up");

        slowWindow();
        assertEquals(500, yield.rate(), 5, "half the bulk rate measured");
        slowWindow();
        assertEquals(250, yield.rate(), 5);
        for (int i = 0; i < 10; i++) {
            slowWindow();
        }
        assertEquals(BulkYield.MIN_RATE, yield.rate(), 0.1, "never below the floor");

        for (int i = 0; i < BulkYield.CLEAN_WINDOWS - 1; i++) {
            cleanWindow();
        }
        assertEquals(BulkYield.MIN_RATE, yield.rate(), 0.1, "grows only after clean windows in a row");
        cleanWindow();
        assertEquals(62.5, yield.rate(), 0.1, "a quarter more after that many clean windows");
        assertTrue(yield.allowance() > 0, "tokens for a few");
        yield.released(yield.allowance());
        assertEquals(0, yield.allowance(), "then bulk waits for its tokens");
        for (int i = 0; i < 1_000 && yield.rate() != Double.POSITIVE_INFINITY; i++) {
            cleanWindow();
        }
        assertEquals(Double.POSITIVE_INFINITY, yield.rate(), "no limit again above UNLIMITED");
        assertEquals(Set.of(), consumer.paused());
    }

    @Test
    void heldBulkRecords_goInBySlices_stopFetching_andDoNotCountAgainstTheInFlightShare() {
        yield.apply(false, 0);
        assertEquals(BulkYield.SLICE, yield.allowance(), "unlimited: a slice a loop");

        offsets.tracker(BULK).track(0, NOW.toEpochMilli()); // both taken from Kafka, held: not in the pipeline yet
        offsets.tracker(BULK).track(1, NOW.toEpochMilli());
        yield.apply(false, 2);
        assertEquals(Set.of(BULK), consumer.paused(), "no more bulk fetched while some is held");
        assertEquals(BulkYield.SLICE, yield.allowance(), "held records are not in flight: they may go in");

        yield.apply(true, 2);
        assertEquals(0, yield.allowance(), "nothing goes in while the loop holds every partition");

        consumer.updateEndOffsets(Map.of(CHAT, 5L));
        yield.apply(false, 2);
        assertEquals(0, yield.allowance(), "nothing goes in while chat has a backlog");
    }

    @Test
    void aLimitedRate_allowsWhatItsTokensCover() {
        yield.taken(chatRecords(5)); // the floor
        for (int i = 0; i < 8; i++) { // 1,000/s
            yield.released(100);
            clock.advance(Duration.ofMillis(100));
            yield.apply(false, 0);
        }
        slowWindow(); // 500/s now, tokens spent
        assertEquals(0, yield.allowance());
        clock.advance(Duration.ofMillis(10));
        cleanWindowWithin(Duration.ofMillis(10));
        int allowed = yield.allowance();
        assertTrue(allowed >= 9 && allowed <= 25, "about 500/s x 20 ms, at most the burst: " + allowed);
        yield.released(allowed);
        assertEquals(0, yield.allowance(), "spent");
    }

    private void cleanWindowWithin(Duration d) {
        yield.taken(chatRecords(6));
        clock.advance(d);
        yield.apply(false, 0);
    }

    private void slowWindow() {
        yield.taken(chatRecords(60));
        clock.advance(Duration.ofMillis(25));
        yield.apply(false, 0);
    }

    private void cleanWindow() {
        yield.taken(chatRecords(6));
        clock.advance(Duration.ofMillis(25));
        yield.apply(false, 0);
    }

    /** Chat records taken now, each written {@code delays} ms ago. */
    private ConsumerRecords<byte[], byte[]> chatRecords(long... delays) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (long d : delays) {
            list.add(new ConsumerRecord<>(CHAT.topic(), CHAT.partition(), list.size(), clock.millis() - d,
                    TimestampType.CREATE_TIME, 0, 0, null, new byte[0], new RecordHeaders(),
                    Optional.empty()));
        }
        return new ConsumerRecords<>(Map.of(CHAT, list), Map.of());
    }

}

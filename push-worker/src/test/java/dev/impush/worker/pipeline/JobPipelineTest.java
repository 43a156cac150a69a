package dev.impush.worker.pipeline;

import dev.impush.model.broadcast.BroadcastTallies;
import dev.impush.worker.broadcast.BroadcastTally;
import java.util.HashMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.TestClock;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.pipeline.PipelineFakes.FakeDedupe;
import dev.impush.worker.pipeline.PipelineFakes.FakePublisher;
import dev.impush.worker.pipeline.PipelineFakes.FakeSender;
import dev.impush.worker.retry.Lanes;
import dev.impush.worker.retry.RetryTiers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's states, one test each, single-threaded and without a broker or Redis: every edge
 * is an in-memory fake ({@link PipelineFakes}) and the test drives time and answers.
 */
class JobPipelineTest {
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final PushTarget FCM = new PushTarget("d-fcm", Channel.FCM, "token-fcm", "app", false);
    private static final PushTarget APNS = new PushTarget("d-apns", Channel.APNS, "token-apns", "app", false);
    private static final SendResult DELIVERED = new SendResult(new SendOutcome.Delivered(), List.of());

    private final TestClock clock = new TestClock(NOW);
    private final FakeDedupe dedupe = new FakeDedupe("w1", clock);
    private final FakeSender sender = new FakeSender(Set.of(Channel.FCM, Channel.APNS));
    private final FakePublisher publisher = new FakePublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** "broadcastId OUTCOME" → devices, as the tally flushed them. */
    private final Map<String, Long> tallied = new HashMap<>();
    private final BroadcastTally tally = new BroadcastTally((id, outcome, devices) ->
            tallied.merge(id + " " + outcome, devices, Long::sum));
    private final JobPipeline pipeline = new JobPipeline(dedupe, sender, publisher, new WorkerMetrics(meters), clock,
            new JobPipeline.Settings("w1", Lanes.of("push.jobs", "push.jobs.bulk",
                    RetryTiers.parse("push.retry.", "5s,30s", "IMPUSH_RETRY_TIERS")), Duration.ofSeconds(1), 512 * 1024,
                    tally));
    private long offset;

    private static PushJob job(String messageId, PushTarget... targets) {
        return PushJob.of(messageId, "u1", "c1", new Notification("Alice", "hi", null, null, messageId, "c1",
                Priority.HIGH, false, Map.of()), List.of(targets), NOW.minusSeconds(1), NOW.plus(Duration.ofHours(1)));
    }

    private Incoming record(PushJob job, int attempt) {
        return record(ContractCodec.jobs(1 << 20).encode(job), attempt);
    }

    private Incoming record(byte[] value, int attempt) {
        return record("push.jobs", value, attempt);
    }

    private Incoming record(String topic, byte[] value, int attempt) {
        var r = new ConsumerRecord<>(topic, 0, offset++, "u1".getBytes(StandardCharsets.UTF_8), value);
        if (attempt > 0) {
            JobHeaders.set(r.headers(), JobHeaders.ATTEMPT, Integer.toString(attempt));
        }
        return new Incoming(r, 1);
    }

    private static DedupeKey key(String messageId, PushTarget t) {
        return DedupeKey.of(job(messageId, t), t.deviceId());
    }

    private List<Long> finishedOffsets() {
        return pipeline.drain().stream().map(Finished::offset).toList();
    }

    private double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aClaimedSend_thatDelivers_isMarkedSent_andFinishesItsRecord() {
        assertTrue(pipeline.intake(List.of(record(job("m1", FCM, APNS), 0))));
        assertEquals(2, sender.sent.size());
        assertEquals(2, pipeline.deliveriesInFlight());
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(), finishedOffsets(), "one device still sending");
        sender.answer("d-apns", DELIVERED);
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals("sent", dedupe.state(key("m1", FCM)));
        assertEquals("sent", dedupe.state(key("m1", APNS)));
        assertEquals(0, pipeline.inFlight());
        assertTrue(publisher.retries.isEmpty() && publisher.deadLetters.isEmpty());
    }

    @Test
    void aRedeliveredRecord_whoseSendsAreMarked_sendsNothing_andCountsDuplicates() {
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        sender.answer("d-fcm", DELIVERED);
        finishedOffsets();
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        assertEquals(List.of(1L), finishedOffsets());
        assertEquals(1, sender.sent.size());
        assertEquals(1, counter(WorkerMetrics.DUPLICATES));
    }

    @Test
    void aKeyHeldByAnotherWorker_isClaimedAgainWhenItsLeaseRunsOut() {
        dedupe.heldBy("w2", key("m1", FCM), Duration.ofSeconds(2));
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        assertEquals(List.of(), finishedOffsets());
        assertTrue(sender.sent.isEmpty(), "not sent while another worker holds it");
        clock.advance(Duration.ofMillis(1_900));
        assertEquals(List.of(), finishedOffsets());
        assertTrue(sender.sent.isEmpty());
        clock.advance(Duration.ofMillis(200)); // w2 died: its lease ran out
        pipeline.drain();
        assertEquals(1, sender.sent.size(), "claimed again and sent");
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(0L), finishedOffsets());
    }

    @Test
    void twoRecordsOfOneDelivery_sendOnce_theSecondWaitsAndIsADuplicate() {
        pipeline.intake(List.of(record(job("m1", FCM), 0), record(job("m1", FCM), 0)));
        assertEquals(1, sender.sent.size());
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(0L, 1L), finishedOffsets());
        assertEquals(1, counter(WorkerMetrics.DUPLICATES));
    }

    @Test
    void whenTheSendWaitedForIsNotDelivered_theWaitingRecordTriesItself() {
        pipeline.intake(List.of(record(job("m1", FCM), 0), record(job("m1", FCM), 0)));
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        // the first record's send released its claim: it goes round again, the waiting one claims and sends
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals(2, sender.sent.size());
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(1L), finishedOffsets());
        assertEquals(1, publisher.retries.size(), "only the first record's failure goes round again");
    }

    @Test
    void withoutRedis_theBatchIsRefused_andNothingIsSent() {
        dedupe.available = false;
        assertFalse(pipeline.intake(List.of(record(job("m1", FCM), 0))));
        assertTrue(sender.sent.isEmpty());
        assertEquals(0, pipeline.inFlight());
        assertTrue(pipeline.blockedOnDedupe(), "backs off");
        clock.advance(Duration.ofSeconds(2));
        assertFalse(pipeline.blockedOnDedupe());
    }

    @Test
    void aTransitionRedisDidNotConfirm_holdsItsRecord_untilRedisIsBack_andIsNeverSentTwice() {
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        dedupe.available = false;
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(), finishedOffsets(), "not finished without its mark");
        assertTrue(pipeline.blockedOnDedupe());
        dedupe.available = true;
        assertEquals(List.of(), finishedOffsets(), "Redis is left alone for the backoff");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(0L), finishedOffsets(), "marked again once the backoff is over");
        assertEquals("sent", dedupe.state(key("m1", FCM)));
        assertEquals(1, sender.sent.size());
        assertFalse(pipeline.blockedOnDedupe());
        assertEquals(1, counter(WorkerMetrics.DEDUPE_UNAVAILABLE), "one backoff");
    }

    @Test
    void aSendMarkedButNotYetConfirmed_isNotRenewed_soNoClaimCountsAsLost() {
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        pipeline.drain(); // renews the claims of the sends in flight, then every third of the lease (10 s)
        dedupe.holdConfirmations = true;
        clock.advance(Duration.ofSeconds(11));
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(), finishedOffsets(), "marked in Redis, not confirmed yet; renewal due meanwhile");
        dedupe.confirmMarks();
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals(0, counter(WorkerMetrics.CLAIMS_LOST), "a mark is no lost claim");
    }

    /** The recall of {@code messageId} (as the detector makes it), to {@code targets}. */
    private static PushJob recall(String messageId, PushTarget... targets) {
        PushJob original = job(messageId, targets);
        return new PushJob(original.v(), PushJob.TYPE, "recall/" + messageId + "/u1", "recall:" + messageId, "u1", "c1",
                new Notification(null, "Message recalled", null, null, messageId, "c1", Priority.HIGH, false, Map.of()),
                List.of(targets), NOW, NOW.plus(Duration.ofDays(1)), NOW,
                new PushJob.Recall(messageId, original.expiresAt()));
    }

    @Test
    void aRecall_replacesWhereTheMessageWasSent_andCancelsItWhereItWasNot() {
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        sender.answer("d-fcm", DELIVERED);
        finishedOffsets();

        pipeline.intake(List.of(record(recall("m1", FCM, APNS), 0)));
        assertEquals(List.of("recall:m1"), sender.sent.subList(1, sender.sent.size()).stream()
                .map(d -> d.job().messageId()).toList(), "only the FCM phone showed m1");
        assertEquals("done", dedupe.state(key("m1", APNS)), "the iPhone's push of m1 is cancelled");
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(1L), finishedOffsets());
        assertEquals(1, counter(WorkerMetrics.DROPPED, "reason", "recalled"));

        pipeline.intake(List.of(record(job("m1", APNS), 1))); // m1's retry for the iPhone turns up late
        assertEquals(List.of(2L), finishedOffsets());
        assertEquals(2, sender.sent.size(), "never shown");

        pipeline.intake(List.of(record(recall("m1", FCM, APNS), 0))); // the recall again (redelivery)
        assertEquals(List.of(3L), finishedOffsets());
        assertEquals(2, sender.sent.size(), "replaced once, cancelled once");
        assertEquals(2, counter(WorkerMetrics.DUPLICATES), "the late retry of m1, the recall's second FCM send");
        assertEquals(1, counter(WorkerMetrics.DROPPED, "reason", "recall-unsent"), "the iPhone never showed m1");
    }

    @Test
    void aMessageAndItsRecall_inOneBatch_showNothing() {
        pipeline.intake(List.of(record(job("m1", FCM), 0), record(recall("m1", FCM), 0)));
        assertEquals(List.of(0L, 1L), finishedOffsets());
        assertTrue(sender.sent.isEmpty(), "the recall is decided before the batch's claims");
    }

    @Test
    void aRecall_whileTheMessageIsBeingSent_triesAgainAfterThatSend() {
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        pipeline.intake(List.of(record(recall("m1", FCM), 0)));
        assertEquals(1, sender.sent.size());
        assertEquals(List.of(1L), finishedOffsets(), "the recall went to the first retry tier");
        var retry = publisher.retries.getFirst();
        assertEquals("push.retry.5s", retry.topic());
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals("recall:m1", retry.job().messageId(), "the recall goes round once m1's push settled");
        assertEquals(List.of(FCM), retry.job().targets());

        pipeline.intake(List.of(record(retry.job(), 1)));
        assertEquals("recall:m1", sender.sent.get(1).job().messageId(), "m1 was sent: the recall replaces it");
    }

    @Test
    void aRetryableFailure_goesToTheNextTier_withItsAttempt() {
        pipeline.intake(List.of(record(job("m1", FCM, APNS), 0)));
        sender.answer("d-apns", DELIVERED);
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        assertEquals(List.of(0L), finishedOffsets());
        var retry = publisher.retries.getFirst();
        assertEquals("push.retry.5s", retry.topic());
        assertEquals(1, retry.attempt());
        assertEquals(List.of(FCM), retry.job().targets(), "narrowed to the device that failed");
        assertNull(dedupe.state(key("m1", FCM)), "released for the retry to claim");
    }

    @Test
    void aBulkLaneFailure_retriesInTheBulkLanesTiers() {
        pipeline.intake(List.of(record("push.jobs.bulk", ContractCodec.jobs(1 << 20).encode(job("b1", FCM)), 0)));
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals("push.retry.bulk.5s", publisher.retries.getFirst().topic());

        pipeline.intake(List.of(record("push.retry.bulk.5s", ContractCodec.jobs(1 << 20).encode(job("b1", FCM)), 1)));
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        assertEquals(List.of(1L), finishedOffsets());
        assertEquals("push.retry.bulk.30s", publisher.retries.get(1).topic());
    }

    @Test
    void aFailureAfterTheLastTier_isDeadLettered_asRetriesExhausted() {
        pipeline.intake(List.of(record(job("m1", FCM), 2)));
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        assertEquals(List.of(0L), finishedOffsets());
        assertTrue(publisher.retries.isEmpty());
        assertEquals(DeadLetterReason.RETRIES_EXHAUSTED, publisher.deadLetters.getFirst().reason());
    }

    @Test
    void aPoisonRecord_isDeadLetteredRaw_withoutAClaim() {
        pipeline.intake(List.of(record("{not json".getBytes(StandardCharsets.UTF_8), 0)));
        assertEquals(List.of(0L), finishedOffsets());
        assertTrue(dedupe.keys.isEmpty(), "nothing claimed");
        assertTrue(sender.sent.isEmpty());
        var letter = publisher.deadLetters.getFirst();
        assertNull(letter.job());
        assertEquals(1, counter(WorkerMetrics.RECORDS, "result", "invalid"));
    }

    @Test
    void anInvalidToken_raisesTheShield_publishesFeedback_andIsMarkedDone() {
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        sender.answer("d-fcm", new SendResult(new SendOutcome.InvalidToken(NOW, "Unregistered"), List.of()));
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals("done", dedupe.state(key("m1", FCM)));
        assertEquals(1, publisher.feedback.size());
        pipeline.intake(List.of(record(job("m2", FCM), 0)));
        assertEquals(List.of(1L), finishedOffsets(), "the next message to the token is dropped");
        assertEquals(1, sender.sent.size());
        assertEquals(1, counter(WorkerMetrics.DROPPED, "reason", "token-invalid"));
    }

    @Test
    void aPublicationTheBrokerDidNotTake_isTriedAgain_andHoldsItsRecordMeanwhile() {
        publisher.failures.add(new TimeoutException("broker away"));
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        assertEquals(List.of(), finishedOffsets());
        assertTrue(publisher.retries.isEmpty());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(pipeline.publishFailingFor().compareTo(Duration.ofSeconds(1)) >= 0);
        // the backoff (at most 100 ms the first time) is over: sent again
        assertEquals(List.of(0L), finishedOffsets());
        assertEquals(1, publisher.retries.size());
        assertEquals(Duration.ZERO, pipeline.publishFailingFor());
    }

    @Test
    void aRetryRecordTheBrokerRefusesForItsSize_becomesADeadLetter() {
        publisher.failures.add(new RecordTooLargeException("too large"));
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        sender.answer("d-fcm", new SendResult(SendOutcome.retry("503"), List.of()));
        assertEquals(List.of(0L), finishedOffsets());
        assertTrue(publisher.retries.isEmpty());
        assertEquals(DeadLetterReason.RETRIES_EXHAUSTED, publisher.deadLetters.getFirst().reason());
    }

    @Test
    void anExpiredJob_sendsNothing_andIsDroppedAsExpired() {
        clock.advance(Duration.ofHours(2));
        pipeline.intake(List.of(record(job("m1", FCM), 0)));
        assertEquals(List.of(0L), finishedOffsets());
        assertTrue(sender.sent.isEmpty());
        assertEquals(1, counter(WorkerMetrics.DROPPED, "reason", "expired"));
    }

    @Test
    void aBroadcastsDevices_areTallied_byOutcome_otherJobsNot() {
        var xiaomi = new PushTarget("d-mi", Channel.XIAOMI, "token-mi", "app", false);
        var other = new PushTarget("d-fcm-2", Channel.FCM, "token-fcm-2", "app", false);
        pipeline.intake(List.of(record(broadcastJob("b1", FCM, APNS, xiaomi), 0), record(job("m1", other), 0)));
        sender.answer("d-fcm", DELIVERED);
        sender.answer("d-apns", new SendResult(new SendOutcome.InvalidToken(NOW, "Unregistered"), List.of()));
        sender.answer("d-fcm-2", DELIVERED);
        assertEquals(Set.of(0L, 1L), Set.copyOf(finishedOffsets()));
        clock.advance(Duration.ofHours(2));
        pipeline.intake(List.of(record(broadcastJob("b2", FCM, APNS), 0)));
        assertEquals(List.of(2L), finishedOffsets());
        assertEquals(Map.of(), tallied, "counts wait for the flush");
        tally.flush();
        assertEquals(Map.of("b1 DELIVERED", 1L, "b1 DROPPED", 1L, "b1 FAILED", 1L, "b2 DROPPED", 2L), tallied);
        tally.flush();
        assertEquals(4, tallied.size(), "a flush hands over only what is new");
    }

    private static PushJob broadcastJob(String broadcastId, PushTarget... targets) {
        return new PushJob(1, PushJob.TYPE, BroadcastTallies.JOB_ID_PREFIX + broadcastId + "/u1", broadcastId, "u1", null,
                new Notification("Notice", "tonight", null, null, broadcastId, null, Priority.NORMAL, false, Map.of()),
                List.of(targets), NOW.minusSeconds(1), NOW.plus(Duration.ofHours(1)), null);
    }

    @Test
    void aDeviceOfAChannelNotConfigured_isDeadLettered_theOthersSent() {
        var xiaomi = new PushTarget("d-mi", Channel.XIAOMI, "token-mi", "app", false);
        pipeline.intake(List.of(record(job("m1", FCM, xiaomi), 0)));
        sender.answer("d-fcm", DELIVERED);
        assertEquals(List.of(0L), finishedOffsets());
        var letter = publisher.deadLetters.getFirst();
        assertEquals(DeadLetterReason.CHANNEL_NOT_CONFIGURED, letter.reason());
        assertEquals(List.of(xiaomi), letter.job().targets());
    }
}

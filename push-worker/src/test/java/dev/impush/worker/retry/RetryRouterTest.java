package dev.impush.worker.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry policy, failure by failure: where each goes, when it is due, what it costs. */
class RetryRouterTest {
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final RetryTiers TIERS = RetryTiers.parse("push.retry.", "5s,30s", "IMPUSH_RETRY_TIERS");
    private static final RetryRouter ROUTER = new RetryRouter(TIERS, millis -> millis); // no jitter
    private static final PushTarget FCM = new PushTarget("d-fcm", Channel.FCM, "t1", "app", false);
    private static final PushTarget APNS = new PushTarget("d-apns", Channel.APNS, "t2", "app", false);

    private static PushJob job(Duration ttl) {
        return PushJob.of("m", "u", "c", new Notification("t", "b", null, null, "m", "c", Priority.HIGH, false, Map.of()),
                List.of(FCM, APNS), NOW.minusSeconds(1), NOW.plus(ttl));
    }

    private static Failure vendor(PushTarget t, Instant retryAt) {
        return new Failure(t, DeadLetterReason.RETRIES_EXHAUSTED, "503", List.of(), retryAt, null);
    }

    private static Failure held(PushTarget t, SendOutcome.Held.Cause cause, Instant until) {
        return new Failure(t, DeadLetterReason.RATE_LIMITED, "held", List.of(), until, cause);
    }

    private static RetryRouter.Decision route(int attempt, int held, boolean healthy, Failure... failures) {
        return ROUTER.route(job(Duration.ofDays(1)), attempt, held, List.of(failures), NOW, c -> healthy);
    }

    @Test
    void aVendorFailure_climbsToTheNextTier() {
        RetryRouter.Route r = route(0, 0, true, vendor(FCM, NOW)).routes().getFirst();
        assertEquals("push.retry.5s", r.topic());
        assertEquals(NOW.plusSeconds(5), r.due());
        assertEquals(1, r.attempt());
        assertNull(r.waitsFor());
    }

    @Test
    void aVendorsOwnTime_parksTheChannelUntilThen_andStillCostsAnAttempt() {
        RetryRouter.Route r = route(1, 0, true, vendor(FCM, NOW.plusSeconds(7))).routes().getFirst();
        assertEquals("push.park.fcm", r.topic());
        assertEquals(NOW.plusSeconds(7), r.due(), "the vendor's time, not the 30 s tier");
        assertEquals(2, r.attempt());
        assertEquals(RetryRouter.VENDOR, r.waitsFor());
    }

    @Test
    void aVendorFailureDuringAnOutage_waitsForTheRecovery() {
        RetryRouter.Route r = route(0, 0, false, vendor(FCM, NOW)).routes().getFirst();
        assertEquals("push.park.fcm", r.topic());
        assertTrue(r.untilRecovery());
        assertEquals(1, r.attempt());
    }

    @Test
    void heldByTheBreaker_spendsNoAttempt_andWaitsLongerEachTimeInARow() {
        Failure f = held(FCM, SendOutcome.Held.Cause.BREAKER, NOW.plusSeconds(10));
        RetryRouter.Route first = route(3, 0, false, f).routes().getFirst();
        assertEquals(3, first.attempt(), "past the last tier and still not dead-lettered: nothing was tried");
        assertEquals(NOW.plusSeconds(10), first.due());
        assertEquals(1, first.held());
        assertTrue(first.untilRecovery());
        RetryRouter.Route third = route(3, 2, false, f).routes().getFirst();
        assertEquals(NOW.plusSeconds(40), third.due());
        RetryRouter.Route many = route(3, 20, false, f).routes().getFirst();
        assertEquals(NOW.plusMillis(RetryRouter.MAX_HELD_WAIT_MILLIS), many.due());
    }

    @Test
    void heldByASpentQuota_waitsForTheReset() {
        Instant reset = NOW.plus(Duration.ofHours(3));
        RetryRouter.Route r = route(0, 0, true, held(FCM, SendOutcome.Held.Cause.QUOTA, reset)).routes().getFirst();
        assertEquals("push.park.fcm", r.topic());
        assertEquals(reset, r.due());
        assertEquals(0, r.attempt());
        assertEquals(false, r.untilRecovery());
    }

    @Test
    void channelsNeverShareAParkedRecord_andTheOtherChannelKeepsItsTier() {
        RetryRouter.Decision d = route(0, 0, true, held(FCM, SendOutcome.Held.Cause.QUOTA, NOW.plus(Duration.ofHours(3))),
                vendor(APNS, NOW));
        assertEquals(List.of("push.park.fcm", "push.retry.5s"), d.routes().stream().map(RetryRouter.Route::topic).toList());
        assertEquals(NOW.plusSeconds(5), d.routes().get(1).due());
    }

    @Test
    void pastTheLastTier_orNotRetryable_isDeadLettered() {
        RetryRouter.Decision d = route(2, 0, true, vendor(FCM, NOW),
                Failure.permanent(APNS, DeadLetterReason.REJECTED, "bad topic"));
        assertTrue(d.routes().isEmpty());
        assertEquals(2, d.dead().size());
    }

    @Test
    void aWaitPastTheJobsExpiry_isDroppedAsExpired() {
        RetryRouter.Decision d = ROUTER.route(job(Duration.ofHours(1)), 0, 0,
                List.of(held(FCM, SendOutcome.Held.Cause.QUOTA, NOW.plus(Duration.ofHours(2)))), NOW, c -> true);
        assertTrue(d.routes().isEmpty() && d.dead().isEmpty());
        assertEquals(1, d.expired());
    }
}

package dev.impush.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");
    private static final Duration MIN = Duration.ofSeconds(60);
    private static final Duration MAX = Duration.ofDays(7);

    private static Delivery expiringIn(Duration left) {
        PushJob job = PushJob.of("m1", "u1", "c1", new Notification("Alice", "hi", null, null, null, "c1",
                Priority.HIGH, false, Map.of()), List.of(new PushTarget("d1", Channel.VIVO, "t", "app", false)),
                NOW, NOW.plus(left));
        return new Delivery(job, job.targets().getFirst());
    }

    @Test
    void timeLeft_isTheTimeUntilTheJobExpires_clampedToTheVendorsBounds() {
        assertEquals(Duration.ofMinutes(10), expiringIn(Duration.ofMinutes(10)).timeLeft(NOW, MIN, MAX));
        assertEquals(MIN, expiringIn(Duration.ofSeconds(5)).timeLeft(NOW, MIN, MAX), "below the minimum");
        assertEquals(MIN, expiringIn(Duration.ofSeconds(-5)).timeLeft(NOW, MIN, MAX), "already expired");
        assertEquals(MAX, expiringIn(Duration.ofDays(30)).timeLeft(NOW, MIN, MAX), "beyond the maximum");
    }
}

package dev.impush.worker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import dev.impush.worker.LocalRedis;
import dev.impush.worker.channel.VendorApp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk lane cannot spend the share of a daily quota kept for chat, across replicas, in a real redis-server. */
@Timeout(30)
class LaneQuotaIT {
    private static final Instant RESET = Instant.parse("2026-11-25T16:00:00Z"); // midnight in Shanghai

    @RegisterExtension
    static final LocalRedis REDIS = new LocalRedis();

    @Test
    void bulkSends_stopAtTheQuotaLessTheChatReserve_chatSendsGoOnToTheFullQuota() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.VIVO), new QuotaLimits(0, 1, 100, ZoneId.of("Asia/Shanghai"), 30));
        try (QuotaGate a = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock);
             QuotaGate b = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            assertEquals(70, admitted(List.of(a, b), Lane.BULK, 60), "bulk: 100 less the 30 % kept for chat");
            assertEquals(Optional.of(RESET), a.acquire(VendorApp.shared(Channel.VIVO), Lane.BULK).get(1, TimeUnit.SECONDS));

            assertEquals(30, admitted(List.of(a, b), Lane.CHAT, 20), "chat: the rest of the full quota");
            assertEquals(Optional.of(RESET), b.acquire(VendorApp.shared(Channel.VIVO), Lane.CHAT).get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void withoutADailyQuota_bothLanesShareOnlyTheRate() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.OPPO), new QuotaLimits(100, 100, 0, ZoneId.of("Asia/Shanghai"), 50));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), frozen)) {
            List<CompletableFuture<Optional<Instant>>> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                all.add(gate.acquire(VendorApp.shared(Channel.OPPO), Lane.BULK));
                all.add(gate.acquire(VendorApp.shared(Channel.OPPO), Lane.CHAT));
            }
            Thread.sleep(500); // time does not move: only the burst is ever admitted
            assertEquals(100, all.stream().filter(CompletableFuture::isDone).count(), "one shared burst");
            assertEquals(0, all.stream().filter(f -> f.isDone() && f.join().isPresent()).count(), "nothing spent");
        }
    }

    @Test
    void underARate_bulkSendsGetNoPermitWhileChatSendsWait() throws Exception {
        var limits = Map.of(VendorApp.shared(Channel.XIAOMI), new QuotaLimits(200, 10, 0, ZoneId.of("Asia/Shanghai")));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), Clock.systemUTC())) {
            List<CompletableFuture<Optional<Instant>>> bulk = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                bulk.add(gate.acquire(VendorApp.shared(Channel.XIAOMI), Lane.BULK)); // bulk first: it leases before chat waits
            }
            List<CompletableFuture<Optional<Instant>>> chat = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                chat.add(gate.acquire(VendorApp.shared(Channel.XIAOMI), Lane.CHAT));
            }
            CompletableFuture.allOf(chat.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            long bulkAdmitted = bulk.stream().filter(CompletableFuture::isDone).count();
            // at most the chunk bulk leased before the chat sends came (the burst, 10), and one more
            // lease ahead; sharing the rate evenly would have admitted about 50
            assertTrue(bulkAdmitted <= 20, bulkAdmitted + " bulk sends admitted while 100 chat sends waited");
            CompletableFuture.allOf(bulk.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        }
    }

    /** Sends of {@code lane} admitted (not spent) when each gate asks {@code each} times, until none is. */
    private static long admitted(List<QuotaGate> gates, Lane lane, int each) throws Exception {
        List<CompletableFuture<Optional<Instant>>> all = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (QuotaGate g : gates) {
                all.add(g.acquire(VendorApp.shared(Channel.VIVO), lane));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        return all.stream().filter(f -> f.join().isEmpty()).count();
    }
}

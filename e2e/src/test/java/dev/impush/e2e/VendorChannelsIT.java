package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.harmony.MockHarmony;
import dev.impush.localstack.honor.MockHonor;
import dev.impush.localstack.huawei.MockHuawei;
import dev.impush.localstack.meizu.MockMeizu;
import dev.impush.localstack.oppo.MockOppo;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.localstack.vivo.MockVivo;
import dev.impush.localstack.xiaomi.MockXiaomi;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every channel through the whole pipeline (detector, worker, the vendor's mock over real HTTP):
 * a dead token is removed through push.feedback and never tried again; a rate-limited send is
 * parked in a retry tier and delivered once afterwards.
 */
@Timeout(300)
class VendorChannelsIT {
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (Channel c : Channel.values()) {
            env.put("IMPUSH_" + c.name() + "_RATE_LIMIT_BACKOFF_MS", "200");
        }
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withWorkerEnv(env));
        pipeline.startWorker("vendors-worker");
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void channel_removesDeadTokens_andParksRateLimitedSends(Channel channel) throws Exception {
        String user = "vendor-" + channel.wireName();
        String app = switch (channel) {
            case APNS -> "com.example.chat";
            case WEBPUSH -> Population.WEB_APP;
            case HARMONY -> Population.HARMONY_APP;
            default -> MockVendors.ANDROID_APP;
        };
        Population.Device dead = new Population.Device(user, user + "-old", channel, token(channel, user + "-old"), app,
                false, false);
        Population.Device live = new Population.Device(user, user + "-new", channel, token(channel, user + "-new"), app,
                false, true);
        Population population = new Population(List.of(dead, live));
        Instant registeredAt = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(population, registeredAt);
        traffic.connect(population, "gw-" + user, registeredAt);
        double removedBefore = pipeline.count(DetectorMetrics.TOKENS_REMOVED);

        traffic.message(user, user + "-m1", "first", Instant.now());
        traffic.flush();
        Await.until(Duration.ofSeconds(60), () -> pipeline.count(DetectorMetrics.TOKENS_REMOVED) > removedBefore
                        && shown(live, user + "-m1") == 1,
                () -> "dead token not removed or live device not reached; invalid outcomes "
                        + invalid(channel) + ", shown " + shown(live, user + "-m1"));
        assertEquals(1, invalid(channel), "the vendor declared the dead token invalid once");

        double retriedBefore = pipeline.count(WorkerMetrics.RETRIED);
        rateLimitNextSend(channel);
        traffic.message(user, user + "-m2", "second", Instant.now());
        traffic.flush();
        Await.until(Duration.ofSeconds(60), () -> shown(live, user + "-m2") == 1,
                () -> "rate-limited send not delivered after parking");
        assertTrue(pipeline.count(WorkerMetrics.RETRIED) > retriedBefore, "the send was parked in a retry tier");
        assertEquals(1, invalid(channel), "the removed token was not tried again");
        assertEquals(1, pipeline.ledger(channel).requests(user + "-m2", live.deviceId()));
    }

    private static String token(Channel c, String deviceId) {
        return switch (c) {
            case APNS -> MockApns.randomToken();
            case WEBPUSH -> pipeline.vendors().subscribe(deviceId); // a browser's push subscription
            default -> c.wireName() + "-token-" + deviceId;
        };
    }

    private static int shown(Population.Device d, String messageId) {
        return pipeline.ledger(d.channel()).shown(messageId, d.deviceId());
    }

    private static double invalid(Channel c) {
        return pipeline.count(WorkerMetrics.INVALID_TOKENS, "channel", c.wireName());
    }

    private static void rateLimitNextSend(Channel c) {
        MockVendors v = pipeline.vendors();
        switch (c) {
            case APNS -> v.apns().failNext(1, RejectionReason.TOO_MANY_REQUESTS);
            case FCM -> v.fcm().failNext(1, 429, "QUOTA_EXCEEDED", Duration.ofSeconds(1));
            case XIAOMI -> v.china(c).failNext(1, MockXiaomi.rateLimited());
            case HUAWEI -> v.china(c).failNext(1, MockHuawei.flowControl());
            case HONOR -> v.china(c).failNext(1, MockHonor.flowControl());
            case VIVO -> v.china(c).failNext(1, MockVivo.rateLimited());
            case OPPO -> v.china(c).failNext(1, MockOppo.rateLimited());
            case MEIZU -> v.china(c).failNext(1, MockMeizu.tooFast());
            case WEBPUSH -> v.webPush().failNext(1, 429, Duration.ofSeconds(1));
            case HARMONY -> v.china(c).failNext(1, MockHarmony.flowControl());
        }
    }
}

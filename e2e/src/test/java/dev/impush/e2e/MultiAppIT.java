package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.AppsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One deployment, two apps: the main app ({@code com.example.chat}, the top-level credentials) and a
 * lite app ({@code com.example.lite}) whose iOS build belongs to another Apple developer team and
 * whose Android build to another Firebase project, both in the apps file. The mocks check what the
 * real vendors check: APNs refuses a topic to a team that does not own it ({@code TopicDisallowed}),
 * FCM refuses a project's send to a token of another project ({@code SENDER_ID_MISMATCH}, which
 * impush would take for an invalid token and remove). On a real broker and redis-server, with the
 * detector and a worker.
 */
@Timeout(180)
class MultiAppIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final String MAIN = "com.example.chat";
    private static final String LITE = "com.example.lite";
    private static final String LITE_PROJECT = "impush-lite";
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;
    private static Path appsFile;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        MockApns.Team liteTeam = pipeline.apns().addTeam(LITE);
        pipeline.fcm().addProject(LITE_PROJECT);
        appsFile = Files.createTempFile("impush-apps", ".properties");
        Files.writeString(appsFile, String.join("\n",
                "# the lite app: its own Apple team and Firebase project",
                LITE + ".IMPUSH_APNS_KEY_FILE=" + liteTeam.signingKeyFile(),
                LITE + ".IMPUSH_APNS_KEY_ID=" + liteTeam.keyId(),
                LITE + ".IMPUSH_APNS_TEAM_ID=" + liteTeam.teamId(),
                LITE + ".IMPUSH_FCM_CREDENTIALS_FILE=" + pipeline.fcm().serviceAccountFile(LITE_PROJECT), ""));
        pipeline.startWorker("multi-app-worker", Map.of(AppsFile.KEY, appsFile.toString()));
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (appsFile != null) {
            Files.deleteIfExists(appsFile);
        }
    }

    private static Population.Device device(String user, String name, Channel channel, String token, String app) {
        return new Population.Device(user, user + "-" + name, channel, token, app, false, true);
    }

    /** An offline user with these devices, registered at the vendors (the lite app's FCM token in its own project). */
    private static Population offlineUser(Population.Device... devices) {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population p = new Population(List.of(devices));
        pipeline.registerAtVendors(p, registeredAt);
        for (Population.Device d : devices) {
            if (d.channel() == Channel.FCM && LITE.equals(d.appId())) {
                pipeline.fcm().registerDevice(d.deviceId(), d.token(), LITE_PROJECT);
            }
        }
        traffic.connect(p, "gw-apps", registeredAt);
        return p;
    }

    @Test
    void twoApps_withTheirOwnAppleTeamsAndFirebaseProjects_areServedAtOnce() throws Exception {
        String user = "apps-u1";
        Population p = offlineUser(
                device(user, "iphone", Channel.APNS, MockApns.randomToken(), MAIN),
                device(user, "iphone-lite", Channel.APNS, MockApns.randomToken(), LITE),
                device(user, "pixel", Channel.FCM, "fcm-" + user, MockVendors.ANDROID_APP),
                device(user, "pixel-lite", Channel.FCM, "fcm-lite-" + user, LITE));

        traffic.groupMessage(user, "g-apps", "apps-m1", "Alice", "both apps ring", false, Instant.now());
        traffic.flush();

        for (Population.Device d : p.devices()) {
            Await.until(SETTLED, () -> pipeline.ledger(d.channel()).requests("apps-m1", d.deviceId()) == 1,
                    () -> d.deviceId() + " (" + d.appId() + ") got no push; APNs refused "
                            + pipeline.apns().rejectedByReason() + ", FCM refused " + pipeline.fcm().rejectedCounts());
        }
        assertEquals(0, pipeline.apns().rejected(RejectionReason.TOPIC_DISALLOWED), "every topic with its own team's key");
        assertEquals(0, pipeline.fcm().rejected("SENDER_ID_MISMATCH"), "every token through its own project");
        for (String breaker : List.of("apns", "apns/" + LITE, "fcm", "fcm/" + LITE)) {
            assertNotNull(pipeline.meters().find("resilience4j.circuitbreaker.state").tag("name", breaker).gauge(),
                    "a breaker of its own for " + breaker);
        }
    }

    private static boolean ofM2(DeadLetter letter) {
        return letter.job() != null && "apps-m2".equals(letter.job().messageId());
    }

    @Test
    void aDeviceOfTheLiteApp_onAVendorItHasNoCredentialsFor_isDeadLettered_namingTheApp() throws Exception {
        String user = "apps-u2";
        Population.Device mi = device(user, "mi-lite", Channel.XIAOMI, "mi-lite-" + user, LITE);
        offlineUser(mi, device(user, "pixel-lite", Channel.FCM, "fcm-lite-" + user, LITE));
        try (DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            traffic.groupMessage(user, "g-apps", "apps-m2", "Alice", "no Xiaomi credentials for the lite app", false,
                    Instant.now());
            traffic.flush();

            Await.until(SETTLED, () -> dlq.poll().letters().stream().anyMatch(MultiAppIT::ofM2),
                    () -> "no dead letter for apps-m2: " + dlq.byReason());
            DeadLetter letter = dlq.letters().stream().filter(MultiAppIT::ofM2).findFirst().orElseThrow();
            assertEquals(DeadLetterReason.CHANNEL_NOT_CONFIGURED, letter.reason());
            assertEquals(mi.deviceId() + ": channel-not-configured (app com.example.lite has no xiaomi credentials in "
                    + "IMPUSH_APPS_FILE)", letter.detail());
            assertEquals(List.of(mi.deviceId()), letter.job().targets().stream().map(PushTarget::deviceId).toList());
        }
        Await.until(SETTLED, () -> pipeline.ledger(Channel.FCM).requests("apps-m2", user + "-pixel-lite") == 1,
                () -> "the lite Pixel got no push");
        assertEquals(0, pipeline.ledger(Channel.XIAOMI).requests("apps-m2", mi.deviceId()),
                "never sent with the main app's Xiaomi secret");
    }
}

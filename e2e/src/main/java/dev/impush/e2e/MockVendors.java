package dev.impush.e2e;

import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.MockNetwork;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.fcm.MockFcmServer;
import dev.impush.localstack.harmony.MockHarmony;
import dev.impush.localstack.honor.MockHonor;
import dev.impush.localstack.huawei.MockHuawei;
import dev.impush.localstack.meizu.MockMeizu;
import dev.impush.localstack.oppo.MockOppo;
import dev.impush.localstack.traffic.Population;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.localstack.vivo.MockVivo;
import dev.impush.localstack.webpush.MockWebPush;
import dev.impush.localstack.xiaomi.MockXiaomi;
import dev.impush.model.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * All ten mock vendors, with the credentials the worker needs to reach them (as its
 * environment). Each checks its vendor's auth and signature, so a worker configured wrongly fails
 * here as it would against the real vendor.
 */
public final class MockVendors implements AutoCloseable {
    /** The Android package / iOS bundle the generated devices use. */
    public static final String ANDROID_APP = "com.example.chat.android";
    private static final String XIAOMI_SECRET = "xiaomi-secret-local";
    private static final String XIAOMI_CHANNEL = "impush_im";
    private static final String OPPO_CHANNEL = "impush_im";

    private final MockApns apns;
    private final MockFcmServer fcm;
    private final MockWebPush webPush;
    private final Path vapidKeyFile;
    private final Map<Channel, MockVendorServer> china = new EnumMap<>(Channel.class);
    private final Map<String, String> env = new HashMap<>();

    private MockVendors(Clock clock) {
        apns = MockApns.start();
        fcm = MockFcmServer.start();
        env.put("IMPUSH_APNS_KEY_FILE", apns.signingKeyFile().toString());
        env.put("IMPUSH_APNS_KEY_ID", apns.keyId());
        env.put("IMPUSH_APNS_TEAM_ID", apns.teamId());
        env.put("IMPUSH_APNS_HOST", apns.host());
        env.put("IMPUSH_APNS_PORT", Integer.toString(apns.port()));
        env.put("IMPUSH_APNS_TRUST_CERT_FILE", apns.trustCertFile().toString());
        // a service-account key file, as in production: the worker signs JWTs and fetches access tokens
        env.put("IMPUSH_FCM_CREDENTIALS_FILE", fcm.serviceAccountFile().toString());
        env.put("IMPUSH_FCM_BASE_URL", fcm.baseUrl().toString());

        MockXiaomi xiaomi = MockXiaomi.start(XIAOMI_SECRET, ANDROID_APP, Set.of(XIAOMI_CHANNEL), clock);
        china.put(Channel.XIAOMI, xiaomi);
        env.put("IMPUSH_XIAOMI_APP_SECRET", XIAOMI_SECRET);
        env.put("IMPUSH_XIAOMI_CHANNEL_ID", XIAOMI_CHANNEL);
        env.put("IMPUSH_XIAOMI_BASE_URL", xiaomi.baseUrl().toString());

        MockHuawei huawei = MockHuawei.start(clock, "100200300", "huawei-secret-local");
        china.put(Channel.HUAWEI, huawei);
        env.put("IMPUSH_HUAWEI_APP_ID", "100200300");
        env.put("IMPUSH_HUAWEI_APP_SECRET", "huawei-secret-local");
        env.put("IMPUSH_HUAWEI_TOKEN_URL", huawei.tokenUrl().toString());
        env.put("IMPUSH_HUAWEI_PUSH_URL", huawei.baseUrl().toString());

        MockHonor honor = MockHonor.start(clock, "104400500", "honor-client-local", "honor-secret-local");
        china.put(Channel.HONOR, honor);
        env.put("IMPUSH_HONOR_APP_ID", "104400500");
        env.put("IMPUSH_HONOR_CLIENT_ID", "honor-client-local");
        env.put("IMPUSH_HONOR_CLIENT_SECRET", "honor-secret-local");
        env.put("IMPUSH_HONOR_TOKEN_URL", honor.tokenUrl().toString());
        env.put("IMPUSH_HONOR_PUSH_URL", honor.baseUrl().toString());

        MockVivo vivo = MockVivo.start("10086", "vivo-key-local", "vivo-secret-local", clock);
        china.put(Channel.VIVO, vivo);
        env.put("IMPUSH_VIVO_APP_ID", "10086");
        env.put("IMPUSH_VIVO_APP_KEY", "vivo-key-local");
        env.put("IMPUSH_VIVO_APP_SECRET", "vivo-secret-local");
        env.put("IMPUSH_VIVO_BASE_URL", vivo.baseUrl().toString());

        MockOppo oppo = MockOppo.start("oppo-key-local", "oppo-master-local", clock);
        oppo.registerPrivateChannel(OPPO_CHANNEL);
        china.put(Channel.OPPO, oppo);
        env.put("IMPUSH_OPPO_APP_KEY", "oppo-key-local");
        env.put("IMPUSH_OPPO_MASTER_SECRET", "oppo-master-local");
        env.put("IMPUSH_OPPO_CHANNEL_ID", OPPO_CHANNEL);
        env.put("IMPUSH_OPPO_BASE_URL", oppo.baseUrl().toString());

        // Web Push: the worker's VAPID key pair; the mock's browsers subscribe with its public key
        KeyPair vapid = MockWebPush.newServerKeys();
        byte[] vapidPublic = MockWebPush.point((ECPublicKey) vapid.getPublic());
        webPush = MockWebPush.start(new DeliveryLedger(), vapidPublic);
        try {
            vapidKeyFile = Files.createTempFile("impush-vapid", ".pem");
            Files.writeString(vapidKeyFile, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(vapid.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("IMPUSH_WEBPUSH_VAPID_PRIVATE_KEY_FILE", vapidKeyFile.toString());
        env.put("IMPUSH_WEBPUSH_VAPID_PUBLIC_KEY", Base64.getUrlEncoder().withoutPadding().encodeToString(vapidPublic));
        env.put("IMPUSH_WEBPUSH_VAPID_SUBJECT", "mailto:ops@impush.local");
        env.put("IMPUSH_WEBPUSH_ALLOWED_HOSTS", MockNetwork.host());
        env.put("IMPUSH_WEBPUSH_ALLOW_HTTP", "true");

        MockHarmony harmony = MockHarmony.start(clock, "388421841222199046");
        china.put(Channel.HARMONY, harmony);
        env.put("IMPUSH_HARMONY_SERVICE_ACCOUNT_FILE", harmony.serviceAccountFile().toString());
        env.put("IMPUSH_HARMONY_PUSH_URL", harmony.baseUrl().toString());

        MockMeizu meizu = MockMeizu.start("112233", "meizu-secret-local", clock);
        china.put(Channel.MEIZU, meizu);
        env.put("IMPUSH_MEIZU_APP_ID", "112233");
        env.put("IMPUSH_MEIZU_APP_SECRET", "meizu-secret-local");
        env.put("IMPUSH_MEIZU_BASE_URL", meizu.baseUrl().toString());
    }

    public static MockVendors start(Clock clock) {
        return new MockVendors(clock);
    }

    /** The worker environment that points every channel at its mock. */
    public Map<String, String> workerEnv() {
        return Map.copyOf(env);
    }

    /**
     * Registers the device's token at its vendor; a device with a dead token expires there
     * {@code invalidAfter} (after its registration, so the detector may remove it).
     */
    public void register(Population.Device d, Instant invalidAfter) {
        switch (d.channel()) {
            case APNS -> {
                apns.registerDevice(d.deviceId(), d.token(), d.appId());
                if (!d.tokenValid()) {
                    apns.expireToken(d.token(), invalidAfter);
                }
            }
            case FCM -> {
                fcm.registerDevice(d.deviceId(), d.token());
                if (!d.tokenValid()) {
                    fcm.expireToken(d.token());
                }
            }
            case WEBPUSH -> { // the token is a subscription the mock made (subscribe)
                if (!d.tokenValid()) {
                    webPush.expire(d.token());
                }
            }
            default -> {
                MockVendorServer m = china.get(d.channel());
                m.registerDevice(d.deviceId(), d.token());
                if (!d.tokenValid()) {
                    m.expireToken(d.token(), invalidAfter);
                }
            }
        }
    }

    public MockApns apns() {
        return apns;
    }

    public MockFcmServer fcm() {
        return fcm;
    }

    public MockWebPush webPush() {
        return webPush;
    }

    /** A new subscription of {@code deviceId}'s browser: the token of a {@code webpush} device. */
    public String subscribe(String deviceId) {
        return webPush.subscribe(deviceId);
    }

    public MockHarmony harmony() {
        return (MockHarmony) china.get(Channel.HARMONY);
    }

    /** The mock of a vendor that speaks HTTP with a device token (the China vendors and HarmonyOS). */
    public MockVendorServer china(Channel channel) {
        return china.get(channel);
    }

    public DeliveryLedger ledger(Channel channel) {
        return switch (channel) {
            case APNS -> apns.ledger();
            case FCM -> fcm.ledger();
            case WEBPUSH -> webPush.ledger();
            default -> china.get(channel).ledger();
        };
    }

    @Override
    public void close() {
        china.values().forEach(MockVendorServer::close);
        fcm.close();
        apns.close();
        webPush.close();
        try {
            Files.deleteIfExists(vapidKeyFile);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}

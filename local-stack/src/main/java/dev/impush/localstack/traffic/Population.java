package dev.impush.localstack.traffic;

import dev.impush.model.Channel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A deterministic set of users and their devices: some iOS (APNs), some Android (FCM and the China
 * vendors), some Huawei phones on HarmonyOS NEXT, some connected over the long connection, some with
 * tokens the vendor no longer accepts.
 *
 * @param devices every device, users in order
 * @param byUser  the same devices by user id (derived, for per-message lookups)
 */
public record Population(List<Device> devices, Map<String, List<Device>> byUser) {

    public Population(List<Device> devices) {
        this(List.copyOf(devices), devices.stream().collect(Collectors.groupingBy(Device::userId,
                LinkedHashMap::new, Collectors.toUnmodifiableList())));
    }

    /** One phone of one user, as the generator registered it. */
    public record Device(String userId, String deviceId, Channel channel, String token, String appId,
                         boolean online, boolean tokenValid) {}

    /**
     * @param users            how many users
     * @param offlineRatio     share of devices without a live connection (they need pushes)
     * @param iosRatio         share of devices on APNs; the rest are Android, spread over FCM and the
     *                         six China vendors, except that about half the Huawei phones run HarmonyOS
     *                         NEXT (channel {@code harmony}, app {@value #HARMONY_APP})
     * @param invalidRatio     share of offline devices whose token the vendor rejects as invalid
     * @param seed             the same seed gives the same population
     */
    public static Population generate(int users, double offlineRatio, double iosRatio, double invalidRatio, long seed) {
        Random random = new Random(seed);
        HexFormat hex = HexFormat.of();
        List<Device> devices = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String userId = "u" + u;
            int count = 1 + random.nextInt(2);
            for (int d = 0; d < count; d++) {
                boolean ios = random.nextDouble() < iosRatio;
                Channel channel = ios ? Channel.APNS : ANDROID[random.nextInt(ANDROID.length)];
                byte[] raw = new byte[32];
                random.nextBytes(raw);
                // from the token's bytes, so the random sequence (and every other device) stays as it was
                boolean harmonyOs = channel == Channel.HUAWEI && (raw[0] & 1) == 0;
                channel = harmonyOs ? Channel.HARMONY : channel;
                String token = ios ? hex.formatHex(raw) : channel.wireName() + "-" + hex.formatHex(raw).substring(0, 40);
                boolean online = random.nextDouble() >= offlineRatio;
                boolean valid = online || random.nextDouble() >= invalidRatio;
                devices.add(new Device(userId, userId + "-d" + d, channel, token,
                        ios ? "com.example.chat" : harmonyOs ? HARMONY_APP : "com.example.chat.android", online, valid));
            }
        }
        return new Population(List.copyOf(devices));
    }

    /**
     * This population and, for every {@code everyNthUser}-th user, a web client (browser or desktop app:
     * channel {@code webpush}, app {@value #WEB_APP}, offline) whose token {@code subscribe} makes from
     * its device id, as a browser makes a push subscription.
     */
    public Population withWebClients(int everyNthUser, Function<String, String> subscribe) {
        List<Device> all = new ArrayList<>(devices);
        List<String> users = userIds();
        for (int u = 0; u < users.size(); u += everyNthUser) {
            String deviceId = users.get(u) + "-web";
            all.add(new Device(users.get(u), deviceId, Channel.WEBPUSH, subscribe.apply(deviceId), WEB_APP, false, true));
        }
        return new Population(all);
    }

    /** The web client's app id. */
    public static final String WEB_APP = "com.example.chat.web";
    /** The HarmonyOS NEXT app's bundle name (a HarmonyOS app is an app of its own, not the Android one). */
    public static final String HARMONY_APP = "com.example.chat.harmony";

    private static final Channel[] ANDROID = {Channel.FCM, Channel.XIAOMI, Channel.HUAWEI, Channel.HONOR,
        Channel.VIVO, Channel.OPPO, Channel.MEIZU};

    public List<String> userIds() {
        return List.copyOf(byUser.keySet());
    }

    public List<Device> devicesOf(String userId) {
        return byUser.getOrDefault(userId, List.of());
    }
}

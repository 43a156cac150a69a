package dev.impush.worker.channel.http;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery every vendor channel test sends: a chat message from user-1 in conv-1, created at
 * {@link #NOW}, to one device of {@link #PACKAGE}. Each vendor's own fixtures pick the channel.
 */
public final class VendorFixtures {
    /** 20:00 in Shanghai: the daily quotas reset at 2026-03-01T16:00Z. */
    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    public static final String PACKAGE = "dev.impush.demo";
    public static final Map<String, String> DEEP_LINK = Map.of("deepLink", "impush://conv/1");

    private VendorFixtures() {}

    /** Badge 3, default sound, collapse id {@code c-<messageId>}, conversation conv-1, high priority. */
    public static Notification notification(String messageId, String title, String body, boolean silent,
                                            Map<String, String> data) {
        return new Notification(title, body, 3, "default", "c-" + messageId, "conv-1", Priority.HIGH, silent, data);
    }

    public static Delivery delivery(Channel channel, String messageId, String deviceId, String token, Notification n,
                                    Instant expiresAt) {
        PushTarget target = new PushTarget(deviceId, channel, token, PACKAGE, false);
        return new Delivery(PushJob.of(messageId, "user-1", "conv-1", n, List.of(target), NOW, expiresAt), target);
    }

    /** "Alice: hello" with {@link #DEEP_LINK}, expiring an hour after {@link #NOW}. */
    /** A configuration environment: key, value, key, value... */
    public static Env env(String... keysAndValues) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Env.of(env);
    }

    public static Delivery delivery(Channel channel, String messageId, String deviceId, String token) {
        return delivery(channel, messageId, deviceId, token,
                notification(messageId, "Alice", "hello", false, DEEP_LINK), NOW.plusSeconds(3600));
    }
}

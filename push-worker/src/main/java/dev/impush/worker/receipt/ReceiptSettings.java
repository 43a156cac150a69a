package dev.impush.worker.receipt;

import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Delivery receipts: where vendors call back and how impush signs what they send back. Off unless
 * {@value #URL} is set.
 *
 * @param callbackBase the public base URL vendors call ({@value #URL}); each channel's receipts go to
 *                     {@code <base>/<channel>}, e.g. {@code https://push.example.com/receipts/xiaomi}
 * @param key          signs each push's {@link ReceiptTag} ({@value #KEY_FILE} or {@value #KEY})
 * @param port         the port the worker takes receipts on ({@value #PORT}); the path is the base URL's
 * @param topic        where receipts go ({@value #TOPIC})
 * @param ttl          how long a worker remembers whom a push went to, for its receipt ({@value #TTL_S})
 */
public record ReceiptSettings(URI callbackBase, Secret key, int port, String topic, Duration ttl) {
    public static final String URL = "IMPUSH_RECEIPTS_URL";
    public static final String KEY = "IMPUSH_RECEIPTS_KEY";
    public static final String KEY_FILE = "IMPUSH_RECEIPTS_KEY_FILE";
    public static final String PORT = "IMPUSH_RECEIPTS_PORT";
    public static final String TOPIC = "IMPUSH_RECEIPTS_TOPIC";
    public static final String TTL_S = "IMPUSH_RECEIPTS_TTL_S";
    /** The channels whose pushes ask for receipts. */
    public static final Set<Channel> CHANNELS = EnumSet.of(Channel.XIAOMI, Channel.VIVO, Channel.OPPO);
    /** A key shorter than this is refused: it signs what the endpoint believes. */
    static final int MIN_KEY_BYTES = 16;

    public ReceiptSettings {
        if (!callbackBase.isAbsolute() || callbackBase.getRawQuery() != null) {
            throw new ConfigException(URL + "=" + callbackBase + " must be an absolute URL without query");
        }
        callbackBase = URI.create(callbackBase.toString().replaceAll("/+$", ""));
        if (key.value().getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new ConfigException(KEY_FILE + " must hold at least " + MIN_KEY_BYTES + " bytes");
        }
    }

    /** Reads {@code IMPUSH_RECEIPTS_*}; empty when {@value #URL} is not set. */
    public static Optional<ReceiptSettings> fromEnv(Env env) {
        Optional<String> url = env.optional(URL);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String key = env.secret(KEY, KEY_FILE).orElseThrow(() ->
                new ConfigException(KEY_FILE + " (or " + KEY + ") is required with " + URL));
        return Optional.of(new ReceiptSettings(URI.create(url.get()), new Secret(key.strip()),
                env.integer(PORT, 8082, 0, 65535), env.string(TOPIC, Topics.RECEIPTS),
                Duration.ofSeconds(env.integer(TTL_S, 172_800, 60, 30 * 86_400))));
    }

    /** Where {@code channel}'s vendor sends receipts. */
    public String callback(Channel channel) {
        return callbackBase + "/" + channel.wireName();
    }

    /** The path the receipt server serves {@code channel}'s receipts on. */
    String path(Channel channel) {
        String base = callbackBase.getRawPath() == null ? "" : callbackBase.getRawPath();
        return base + "/" + channel.wireName();
    }

    /** The signed tag {@code delivery} carries when sent at {@code now}. */
    public String tag(Delivery delivery, Instant now) {
        return ReceiptTag.of(delivery.job().userId(), delivery.messageId(), delivery.target().deviceId(), now)
                .sign(keyBytes());
    }

    byte[] keyBytes() {
        return key.value().getBytes(StandardCharsets.UTF_8);
    }
}

package dev.impush.localstack.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The mock's APNs rules, shared by every connection. Runs on Netty event loops, so everything it
 * reads or writes is thread-safe, and it never blocks.
 *
 * <p>Unlike Pushy's validating handler, which checks the ECDSA signature of the provider token on
 * every notification (~450 µs, capping the mock near 2,300/s), each distinct token is verified once
 * and the verdict cached: a client reuses one token for up to an hour.
 */
final class MockApnsHandler implements PushNotificationHandler {
    static final String CHANNEL = "apns";
    /** Apple: payloads above 4096 bytes are refused with 413 PayloadTooLarge. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    static final int MAX_VOIP_PAYLOAD_BYTES = 5120;
    /** Apple refuses provider tokens issued more than an hour ago (403 ExpiredProviderToken). */
    static final Duration PROVIDER_TOKEN_LIFETIME = Duration.ofHours(1);
    /** A verdict cache larger than this means a broken client minting tokens; start over rather than grow. */
    private static final int MAX_CACHED_TOKENS = 1_000;

    private static final String PATH_PREFIX = "/3/device/";
    private static final Pattern DEVICE_TOKEN = Pattern.compile("[0-9a-fA-F]{64}");

    /** A device the mock knows: who it is for the ledger and which app (topic) it belongs to. */
    record Device(String deviceId, String topic) {}

    /** The next {@code remaining} requests fail with {@code reason}. */
    record Injected(int remaining, RejectionReason reason) {}

    /** A provider token's verified claims; {@code issuedAt} is null for a token that failed verification. */
    private record Verdict(Instant issuedAt, String teamId) {}

    /**
     * A team's signing key, and the topics (bundle ids) the team owns; an empty set: every topic no
     * other team owns, as the mock's first team has.
     */
    record Team(ApnsVerificationKey key, Set<String> topics) {}

    /** By key id. */
    private final Map<String, Team> teams = new ConcurrentHashMap<>();
    private final Clock clock;
    private final DeliveryLedger ledger;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, Instant> expired = new ConcurrentHashMap<>();
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final AtomicReference<Injected> injected = new AtomicReference<>(new Injected(0, RejectionReason.INTERNAL_SERVER_ERROR));

    MockApnsHandler(ApnsVerificationKey verificationKey, Clock clock, DeliveryLedger ledger) {
        teams.put(verificationKey.getKeyId(), new Team(verificationKey, Set.of()));
        this.clock = clock;
        this.ledger = ledger;
    }

    void addTeam(ApnsVerificationKey key, Set<String> topics) {
        teams.put(key.getKeyId(), new Team(key, Set.copyOf(topics)));
    }

    void register(String token, Device device) {
        devices.put(token.toLowerCase(Locale.ROOT), device);
        expired.remove(token.toLowerCase(Locale.ROOT));
    }

    void expire(String token, Instant at) {
        expired.put(token.toLowerCase(Locale.ROOT), at);
    }

    void inject(int count, RejectionReason reason) {
        injected.set(new Injected(count, reason));
    }

    @Override
    public void handlePushNotification(Http2Headers headers, ByteBuf payload) throws RejectedNotificationException {
        Injected failure = injected.getAndUpdate(i -> i.remaining() > 0 ? new Injected(i.remaining() - 1, i.reason()) : i);
        if (failure.remaining() > 0) {
            throw new RejectedNotificationException(failure.reason());
        }
        // Authentication first: an unauthenticated caller learns nothing about tokens.
        String team = authenticate(headers);

        CharSequence path = headers.path();
        if (path == null || !path.toString().startsWith(PATH_PREFIX)) {
            throw new RejectedNotificationException(RejectionReason.BAD_PATH);
        }
        String token = path.toString().substring(PATH_PREFIX.length());
        if (token.isEmpty()) {
            throw new RejectedNotificationException(RejectionReason.MISSING_DEVICE_TOKEN);
        }
        if (!DEVICE_TOKEN.matcher(token).matches()) {
            throw new RejectedNotificationException(RejectionReason.BAD_DEVICE_TOKEN);
        }
        token = token.toLowerCase(Locale.ROOT);
        CharSequence topic = headers.get("apns-topic");
        if (topic == null || topic.isEmpty()) {
            throw new RejectedNotificationException(RejectionReason.MISSING_TOPIC);
        }
        if (!owns(team, topic.toString().replaceFirst("\\.voip$", ""))) {
            throw new RejectedNotificationException(RejectionReason.TOPIC_DISALLOWED);
        }
        Instant expiredAt = expired.get(token);
        if (expiredAt != null) {
            throw new UnregisteredDeviceTokenException(expiredAt);
        }
        Device device = devices.get(token);
        if (device == null || !device.topic().contentEquals(topic)) {
            throw new RejectedNotificationException(RejectionReason.DEVICE_TOKEN_NOT_FOR_TOPIC);
        }
        CharSequence collapseId = headers.get("apns-collapse-id");
        if (collapseId != null && collapseId.toString().getBytes(StandardCharsets.UTF_8).length > 64) {
            throw new RejectedNotificationException(RejectionReason.BAD_COLLAPSE_ID);
        }
        if (payload == null || payload.readableBytes() == 0) {
            throw new RejectedNotificationException(RejectionReason.PAYLOAD_EMPTY);
        }
        // PushKit: its own topic (<bundle>.voip), priority 10 and a larger payload
        boolean voip = "voip".contentEquals(headers.get("apns-push-type") == null ? "" : headers.get("apns-push-type"));
        if (voip != topic.toString().endsWith(".voip")) {
            throw new RejectedNotificationException(RejectionReason.INVALID_PUSH_TYPE);
        }
        if (voip && headers.get("apns-priority") != null && !"10".contentEquals(headers.get("apns-priority"))) {
            throw new RejectedNotificationException(RejectionReason.BAD_PRIORITY);
        }
        if (payload.readableBytes() > (voip ? MAX_VOIP_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES)) {
            throw new RejectedNotificationException(RejectionReason.PAYLOAD_TOO_LARGE);
        }
        String messageId = messageId(payload);
        if (ledger.keepsPayloads()) { // before the count: a test that saw the request reads its payload
            ledger.payload(messageId, device.deviceId(), payload.toString(StandardCharsets.UTF_8));
        }
        ledger.accepted(CHANNEL, messageId, device.deviceId(), collapseId == null ? null : collapseId.toString());
    }

    /** Whether {@code teamId} may push to {@code bundleId}: a topic belongs to the team that owns it, else to the first team. */
    private boolean owns(String teamId, String bundleId) {
        Team owner = null;
        Team first = null;
        for (Team t : teams.values()) {
            if (t.topics().contains(bundleId)) {
                owner = t;
            } else if (t.topics().isEmpty()) {
                first = t;
            }
        }
        Team allowed = owner != null ? owner : first;
        return allowed != null && allowed.key().getTeamId().equals(teamId);
    }

    /** The team of the request's valid provider token. */
    private String authenticate(Http2Headers headers) throws RejectedNotificationException {
        CharSequence authorization = headers.get("authorization");
        if (authorization == null || !authorization.toString().startsWith("bearer ")
                || authorization.toString().substring("bearer ".length()).isBlank()) {
            throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
        }
        String jwt = authorization.toString().substring("bearer ".length()).trim();
        Verdict verdict = verdicts.get(jwt);
        if (verdict == null) {
            if (verdicts.size() >= MAX_CACHED_TOKENS) {
                verdicts.clear();
            }
            verdict = verify(jwt);
            verdicts.put(jwt, verdict);
        }
        if (verdict.issuedAt() == null) {
            throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
        }
        if (verdict.issuedAt().plus(PROVIDER_TOKEN_LIFETIME).isBefore(clock.instant())) {
            throw new RejectedNotificationException(RejectionReason.EXPIRED_PROVIDER_TOKEN);
        }
        return verdict.teamId();
    }

    private Verdict verify(String jwt) {
        try {
            AuthenticationToken token = new AuthenticationToken(jwt);
            Team team = teams.get(token.getKeyId());
            boolean valid = team != null && team.key().getTeamId().equals(token.getTeamId())
                    && token.verifySignature(team.key());
            return new Verdict(valid ? token.getIssuedAt() : null, token.getTeamId());
        } catch (RuntimeException e) {
            return new Verdict(null, null);
        }
    }

    /** Streams over the top-level keys (no tree): the mock has to keep up with load tests. */
    private static String messageId(ByteBuf payload) throws RejectedNotificationException {
        try (JsonParser p = Json.mapper().getFactory().createParser(ByteBufUtil.getBytes(payload))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new RejectedNotificationException(RejectionReason.PAYLOAD_EMPTY);
            }
            String id = "(none)";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = Notification.MESSAGE_ID_KEY.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            return id;
        } catch (IOException e) {
            // Apple answers 400 to malformed JSON; Pushy's reasons have no BadPayload, PayloadEmpty is the nearest 400.
            throw new RejectedNotificationException(RejectionReason.PAYLOAD_EMPTY);
        }
    }
}

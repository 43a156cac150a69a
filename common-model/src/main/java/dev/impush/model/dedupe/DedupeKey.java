package dev.impush.model.dedupe;

import dev.impush.model.Channel;
import dev.impush.model.job.PushJob;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One notification to one device, and where its dedupe state lives in Redis. Built with
 * {@link #of(PushJob, String)}; shared by everything that reads or writes dedupe state: the
 * push-worker and the replay tool. What the state means is told by {@link DedupeMark}.
 *
 * <p>The layout keeps a settled delivery at about 10 bytes of Redis memory:
 * <ul>
 *   <li><b>Marks</b> ({@code sent}, {@code done}) are members of integer sets,
 *       {@code impush:m:{<shard>}<hour>:<bucket>}: one 8-byte member per delivery (a 62-bit digest of
 *       user, message and device, and 2 bits for the mark), in Redis's compact {@code intset}
 *       encoding while a set holds at most 512 (Redis's {@code set-max-intset-entries}). A set
 *       gathers the deliveries of one {@linkplain #SHARDS shard} whose jobs expire in the same hour,
 *       spread over {@value #BUCKETS} buckets, and expires as a whole after that hour (plus a margin,
 *       at most the worker's sent TTL).</li>
 *   <li><b>Claims</b> ({@code inflight:<worker>}, with a lease) are short-lived strings,
 *       {@code impush:c:{<shard>}<digest>}, deleted when the delivery settles.</li>
 *   <li><b>Shields</b> of invalid tokens: {@link #shieldKey}.</li>
 * </ul>
 * Every key of a user carries the hash tag of the user's shard, one of {@value #SHARDS}, whose tags
 * sit on evenly spread Redis Cluster slots: a batch of claims on a cluster is one script call per
 * shard, and the shards divide evenly over the masters of a cluster whose slots are.
 *
 * <p>Records for the same (user, message, device) must carry the same {@code expiresAt} (or, without
 * it, the same {@code eventAt}) to find each other's marks, as every job the detector writes for a
 * message does.
 *
 * @param markHour    the hour (since the epoch) in which the job's marks stop mattering: see {@link #markAnchor}
 * @param digestHigh  the first 64 bits of SHA-256 over the user, message and device ids
 * @param digestLow   the next 64 bits
 */
public record DedupeKey(String userId, String messageId, String deviceId, long markHour, long digestHigh,
                        long digestLow) {
    /** Hash tags: how many Redis Cluster slots impush's per-user keys are spread over. */
    public static final int SHARDS = 64;
    /** Mark sets per shard and hour. */
    public static final int BUCKETS = 256;
    /** How long after its event (or creation) a job without {@code expiresAt} counts as expiring, for its marks. */
    public static final Duration NO_EXPIRY_HORIZON = Duration.ofHours(25);
    private static final String[] TAGS = tags();
    private static final long MARK_BITS = 3L;

    /** The delivery of {@code job} to {@code deviceId}. */
    public static DedupeKey of(PushJob job, String deviceId) {
        return of(job.userId(), job.messageId(), deviceId, markAnchor(job));
    }

    /** The delivery of {@code messageId} to {@code userId}'s {@code deviceId}, its marks kept until {@code markAnchor}'s hour ends. */
    public static DedupeKey of(String userId, String messageId, String deviceId, Instant markAnchor) {
        ByteBuffer digest = ByteBuffer.wrap(digest(userId, messageId, deviceId));
        return new DedupeKey(userId, messageId, deviceId, Math.floorDiv(markAnchor.getEpochSecond(), 3600),
                digest.getLong(), digest.getLong());
    }

    /**
     * When a job's marks stop mattering: its {@code expiresAt} (after it, the job is dropped as
     * expired wherever it turns up again), or, without one, {@link #NO_EXPIRY_HORIZON} after its
     * {@code eventAt} (else its {@code createdAt}).
     */
    public static Instant markAnchor(PushJob job) {
        if (job.expiresAt() != null) {
            return job.expiresAt();
        }
        Instant from = job.eventAt() != null ? job.eventAt() : job.createdAt();
        return (from == null ? Instant.EPOCH : from).plus(NO_EXPIRY_HORIZON);
    }

    /** The user's shard: {@code 0..SHARDS-1}, from the user id alone. */
    public int shard() {
        return shardOf(userId);
    }

    /** The hash slot of {@code shard}'s keys. */
    public static int slotOf(int shard) {
        return HashSlot.of(TAGS[shard]);
    }

    /** The end of the hour after which this delivery's mark set may go (see {@link #markAnchor}). */
    public Instant markHourEnd() {
        return Instant.ofEpochSecond((markHour + 1) * 3600);
    }

    /** Where a worker's claim (lease) on this delivery lives while it sends. */
    public String claimKey() {
        return "impush:c:{" + TAGS[shard()] + "}" + HexFormat.of().toHexDigits(digestHigh)
                + HexFormat.of().toHexDigits(digestLow);
    }

    /** The integer set that holds this delivery's mark once it settles. */
    public String markKey() {
        return "impush:m:{" + TAGS[shard()] + "}" + markHour + ":" + Math.floorMod(digestLow, BUCKETS);
    }

    /** This delivery's member of {@link #markKey()} when it settled as {@code mark} ({@code SENT} or {@code DONE}). */
    public String member(DedupeMark mark) {
        long code = switch (mark) {
            case SENT -> 1;
            case DONE -> 2;
            case NONE, IN_FLIGHT -> throw new IllegalArgumentException(mark + " is not a settled mark");
        };
        return Long.toString((digestHigh & ~MARK_BITS) | code);
    }

    /**
     * The key releases before the set layout kept this delivery's whole state in:
     * {@code impush:dd:{<user>}:<message>:<device>}, each id {@linkplain #escape escaped}. Read by
     * the worker while {@code IMPUSH_DEDUPE_LEGACY_MARKS} is on, so marks written before an upgrade
     * still count.
     */
    public String legacyKey() {
        return "impush:dd:{" + escape(userId) + "}:" + escape(messageId) + ":" + escape(deviceId);
    }

    /**
     * The token-shield key of a token of this user: {@code impush:bad:{<shard>}<digest>}, the first
     * 16 bytes of SHA-256 over the user, the channel and the token, base64url: a 4 KB token costs
     * 22 bytes, and the key shares the user's shard.
     */
    public static String shieldKey(String userId, Channel channel, String token) {
        byte[] digest = digest(userId, channel.wireName(), token);
        return "impush:bad:{" + TAGS[shardOf(userId)] + "}"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    /**
     * SHA-256 over {@code parts}, each prefixed with its UTF-8 length, so no two lists of parts collide:
     * what a delivery's digest ({@code user, message, device}) and a shield key are made of.
     */
    public static byte[] digest(String... parts) {
        MessageDigest sha = SHA_256.get();
        for (String part : parts) {
            byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(utf8.length).array());
            sha.update(utf8);
        }
        return sha.digest();
    }

    /** The shard of a user id: its {@code String.hashCode} (fixed by the Java spec), mixed, mod {@link #SHARDS}. */
    static int shardOf(String userId) {
        int h = userId.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return Math.floorMod(h, SHARDS);
    }

    /** The hash tag of each shard. */
    static String tag(int shard) {
        return TAGS[shard];
    }

    /**
     * Shard {@code i}'s tag is the first of {@code d0, d1, ...} (base 36) whose slot is
     * {@code i * 16384 / SHARDS + 128}: the middle of the {@code i}-th of {@value #SHARDS} equal slot
     * ranges. A Redis Cluster whose masters hold equal slot ranges (as {@code redis-cli --cluster
     * create} assigns them) gets an equal share of the shards.
     */
    private static String[] tags() {
        String[] tags = new String[SHARDS];
        int step = HashSlot.SLOTS / SHARDS;
        int found = 0;
        for (long n = 0; found < SHARDS; n++) {
            String candidate = "d" + Long.toString(n, 36);
            int slot = HashSlot.of(candidate);
            if (slot % step == step / 2 && tags[slot / step] == null) {
                tags[slot / step] = candidate;
                found++;
            }
        }
        return tags;
    }

    /** One digest per thread: looking the algorithm up for every delivery cost more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    /**
     * Percent-encodes the escape character and the characters that delimit the legacy key's parts:
     * '%' becomes "%25", ':' "%3A", '{' "%7B" and '}' "%7D". An id without them is returned as it is.
     */
    static String escape(String id) {
        int first = firstSpecial(id);
        if (first < 0) {
            return id;
        }
        StringBuilder b = new StringBuilder(id.length() + 8).append(id, 0, first);
        for (int i = first; i < id.length(); i++) {
            char c = id.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case ':' -> b.append("%3A");
                case '{' -> b.append("%7B");
                case '}' -> b.append("%7D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static int firstSpecial(String id) {
        for (int i = 0; i < id.length(); i++) {
            switch (id.charAt(i)) {
                case '%', ':', '{', '}' -> {
                    return i;
                }
                default -> { }
            }
        }
        return -1;
    }
}

package dev.impush.model.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.job.PushJob;
import io.lettuce.core.cluster.SlotHash;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DedupeKeyTest {
    private static final Instant EXPIRES = Instant.parse("2026-12-04T10:20:00Z");

    private static DedupeKey key(String user, String message, String device) {
        return DedupeKey.of(user, message, device, EXPIRES);
    }

    @Test
    void layout_isFixed_becauseMarksWrittenByTheRunningReleaseMustBeFoundByTheNext() {
        DedupeKey k = key("u42", "m-9001", "d1");
        assertEquals("impush:m:{" + DedupeKey.tag(k.shard()) + "}" + (EXPIRES.getEpochSecond() / 3600) + ":"
                + Math.floorMod(k.digestLow(), DedupeKey.BUCKETS), k.markKey());
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), k.markHourEnd());
        assertEquals(k.markKey(), key("u42", "m-9001", "d1").markKey(), "the same delivery, the same set");
        // pinned values: a change here moves every mark
        assertEquals(List.of("debw", "d5by"), List.of(DedupeKey.tag(0), DedupeKey.tag(DedupeKey.SHARDS - 1)));
        assertEquals(List.of(19, 57), List.of(DedupeKey.shardOf("u42"), DedupeKey.shardOf("alice@example.com")));
    }

    @Test
    void legacyKey_isTheKeyOfEarlierReleases() {
        assertEquals("impush:dd:{u42}:m-9001:d1", key("u42", "m-9001", "d1").legacyKey());
        assertEquals("impush:dd:{u%7B1%7D}:a%3Ab:c%25", key("u{1}", "a:b", "c%").legacyKey());
    }

    @Test
    void everyKeyOfAUser_sharesTheSlotOfItsShard_andTheShardsSpreadEvenlyOverTheSlots() {
        for (String user : List.of("u1", "}a", "a}b", "{a", "{}", "alice@example.com")) {
            int slot = SlotHash.getSlot(key(user, "m1", "d1").claimKey());
            assertEquals(slot, SlotHash.getSlot(key(user, "other:message", "}d{").markKey()), user);
            assertEquals(slot, SlotHash.getSlot(DedupeKey.shieldKey(user, Channel.APNS, "t")), user);
        }
        int step = 16384 / DedupeKey.SHARDS;
        for (int s = 0; s < DedupeKey.SHARDS; s++) {
            assertEquals(s * step + step / 2, SlotHash.getSlot("{" + DedupeKey.tag(s) + "}x"), "shard " + s);
            assertEquals(HashSlot.of(DedupeKey.tag(s)), SlotHash.getSlot(DedupeKey.tag(s)));
            assertEquals(s * step + step / 2, DedupeKey.slotOf(s), "slot of shard " + s);
        }
        // three masters with equal slot ranges, as redis-cli --cluster create makes them
        int[] perMaster = new int[3];
        for (int s = 0; s < DedupeKey.SHARDS; s++) {
            perMaster[Math.min(2, (s * step + step / 2) / 5462)]++;
        }
        assertTrue(Math.abs(perMaster[0] - perMaster[2]) <= 1 && Math.abs(perMaster[1] - perMaster[2]) <= 1,
                List.of(perMaster[0], perMaster[1], perMaster[2]).toString());
    }

    @Test
    void usersSpreadOverTheShards_andDeliveriesOverTheBuckets() {
        int[] shards = new int[DedupeKey.SHARDS];
        Set<String> sets = new HashSet<>();
        for (int i = 0; i < 64_000; i++) {
            DedupeKey k = key("user-" + i, "m", "d");
            shards[k.shard()]++;
            sets.add(k.markKey());
        }
        for (int n : shards) {
            assertTrue(n > 800 && n < 1200, "1,000 users a shard expected, got " + n);
        }
        assertTrue(sets.size() > 0.98 * DedupeKey.SHARDS * DedupeKey.BUCKETS, sets.size() + " sets");
    }

    @Test
    void idsAreLengthPrefixed_soNoTwoTriplesShareADigest() {
        Random random = new Random(13);
        char[] alphabet = {'a', ':', '{', '}', '%', '\0'};
        Map<String, List<String>> seen = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            List<String> ids = List.of(id(random, alphabet, 1), id(random, alphabet, 0), id(random, alphabet, 0));
            DedupeKey k = key(ids.get(0), ids.get(1), ids.get(2));
            List<String> before = seen.putIfAbsent(k.claimKey(), ids);
            if (before != null) {
                assertEquals(before, ids, "two id triples share the claim key " + k.claimKey());
            }
        }
        assertNotEquals(key("ab", "c", "d").claimKey(), key("a", "bc", "d").claimKey());
    }

    @Test
    void members_areIntegersThatTellSentFromDone() {
        DedupeKey k = key("u", "m", "d");
        long sent = Long.parseLong(k.member(DedupeMark.SENT));
        long done = Long.parseLong(k.member(DedupeMark.DONE));
        assertEquals(sent >>> 2, done >>> 2);
        assertEquals(List.of(1L, 2L), List.of(sent & 3, done & 3));
        assertEquals(Long.toString(sent), k.member(DedupeMark.SENT), "canonical, so Redis keeps it as an integer");
    }

    @Test
    void markAnchor_isTheExpiry_elseTheEventOrCreationPlusTheHorizon() {
        Instant created = Instant.parse("2026-12-04T08:00:00Z");
        Instant event = Instant.parse("2026-12-04T07:59:00Z");
        PushJob expiring = new PushJob(1, "push", "j", "m", "u", "c", null, List.of(), created, EXPIRES, event);
        assertEquals(EXPIRES, DedupeKey.markAnchor(expiring));
        assertEquals(event.plus(DedupeKey.NO_EXPIRY_HORIZON),
                DedupeKey.markAnchor(new PushJob(1, "push", "j", "m", "u", "c", null, List.of(), created, null, event)));
        assertEquals(created.plus(DedupeKey.NO_EXPIRY_HORIZON),
                DedupeKey.markAnchor(new PushJob(1, "push", "j", "m", "u", "c", null, List.of(), created, null, null)));
        assertEquals(DedupeKey.of(expiring, "d"), DedupeKey.of("u", "m", "d", EXPIRES));
    }

    /** A random id of {@code min} to 3 characters. */
    private static String id(Random random, char[] alphabet, int min) {
        int length = min + random.nextInt(4 - min);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }
}

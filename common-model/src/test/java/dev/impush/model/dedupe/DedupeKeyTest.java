package dev.impush.model.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lettuce.core.cluster.SlotHash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DedupeKeyTest {

    @Test
    void plainIds_giveTheKeysOfEarlierReleases() {
        // Marks written by the running release must still be found during a rolling upgrade.
        assertEquals("impush:dd:{u42}:m-9001:d1", new DedupeKey("u42", "m-9001", "d1").redisKey());
        assertEquals("impush:dd:{alice@example.com}:0b7e/4a1c-9f.2_x:dev 1 #ä用户",
                new DedupeKey("alice@example.com", "0b7e/4a1c-9f.2_x", "dev 1 #ä用户").redisKey());
    }

    @Test
    void separatorsInsideIds_doNotCollide() {
        assertNotEquals(new DedupeKey("u", "a:b", "c").redisKey(), new DedupeKey("u", "a", "b:c").redisKey());
        assertNotEquals(new DedupeKey("u:m", "d", "x").redisKey(), new DedupeKey("u", "m", "d:x").redisKey());
        assertNotEquals(new DedupeKey("u}:{m", "d", "x").redisKey(), new DedupeKey("u", "m", "d:x").redisKey());
        assertNotEquals(new DedupeKey("u", "a%3Ab", "c").redisKey(), new DedupeKey("u", "a:b", "c").redisKey());
    }

    @Test
    void userIdWithBraces_isOneWholeHashTag() {
        assertEquals("u%7B1%7D", hashTag(new DedupeKey("u{1}", "m", "d").redisKey()));
        assertEquals("%7Du%7B", hashTag(new DedupeKey("}u{", "m", "d").redisKey()));
        for (String user : List.of("}a", "a}b", "{a", "{}", "a:b}")) {
            int slot = SlotHash.getSlot(new DedupeKey(user, "m1", "d1").redisKey());
            assertEquals(slot, SlotHash.getSlot(new DedupeKey(user, "other:message", "}d{").redisKey()), user);
        }
    }

    /** Short ids over a small alphabet: the separators, the braces and the escape sequence of '{' meet often. */
    @Test
    void randomIdsOverSeparatorsAndEscapes_neverCollide_andKeepTheirUsersTag() {
        char[] alphabet = {'a', ':', '{', '}', '%', '7', 'B'};
        Random random = new Random(13);
        Map<String, List<String>> seen = new HashMap<>();
        Map<String, String> userOfTag = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            List<String> ids = List.of(id(random, alphabet, 1), id(random, alphabet, 0), id(random, alphabet, 0));
            String key = new DedupeKey(ids.get(0), ids.get(1), ids.get(2)).redisKey();
            List<String> before = seen.putIfAbsent(key, ids);
            if (before != null) {
                assertEquals(before, ids, "two id triples share the key " + key);
            }
            String tag = hashTag(key);
            String owner = userOfTag.putIfAbsent(tag, ids.get(0));
            if (owner != null) {
                assertEquals(owner, ids.get(0), "two users share the hash tag " + tag);
            }
            assertEquals(tag, hashTag(new DedupeKey(ids.get(0), "m", "d").redisKey()), "tag of " + ids);
        }
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

    /** Redis Cluster's hash tag: the text between the first '{' and the next '}', or null if there is none. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close <= open + 1 ? null : key.substring(open + 1, close);
    }
}

package dev.impush.detector.state;

import java.util.Comparator;
import java.util.Map;

/** Keeps a user's map of entries within its limit (see {@link UserLimits}). */
final class Bounded {
    private Bounded() {}

    /**
     * Removes the oldest entries (first by {@code age}) until one more fits in {@code max};
     * {@code evicted} runs once per entry removed.
     */
    static <V> void makeRoom(Map<String, V> map, int max, Comparator<V> age, Runnable evicted) {
        while (map.size() >= max && !map.isEmpty()) {
            String oldest = null;
            V oldestValue = null;
            for (Map.Entry<String, V> e : map.entrySet()) {
                if (oldestValue == null || age.compare(e.getValue(), oldestValue) < 0) {
                    oldest = e.getKey();
                    oldestValue = e.getValue();
                }
            }
            map.remove(oldest);
            evicted.run();
        }
    }
}

package dev.impush.replay;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads what the workers' dedupe recorded of deliveries, one round trip per lookup. Read only. */
final class DeliveryMarks implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 5;
    private final RedisLink.Session connection;

    /** Redis did not answer. */
    static final class Unavailable extends Exception {
        Unavailable(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    DeliveryMarks(RedisLink link) {
        this.connection = link.connect();
    }

    /** What Redis holds of one delivery: its mark set's answer, its claim, its key of the layout before. */
    private record Lookup(RedisFuture<List<Boolean>> settled, RedisFuture<String> claim, RedisFuture<String> legacy) {
        DedupeMark mark() throws Exception {
            List<Boolean> sentOrDone = settled.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (sentOrDone.get(0)) {
                return DedupeMark.SENT;
            }
            if (sentOrDone.get(1)) {
                return DedupeMark.DONE;
            }
            String claimed = claim.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return DedupeMark.of(claimed != null ? claimed : legacy.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /** Each delivery's mark, in order (marks of releases before the mark-set layout included). */
    List<DedupeMark> read(List<DedupeKey> keys) throws Unavailable {
        var redis = connection.commands();
        List<Lookup> lookups = new ArrayList<>(keys.size());
        keys.forEach(k -> lookups.add(new Lookup(
                redis.smismember(k.markKey(), k.member(DedupeMark.SENT), k.member(DedupeMark.DONE)),
                redis.get(k.claimKey()), redis.get(k.legacyKey()))));
        List<DedupeMark> marks = new ArrayList<>(keys.size());
        try {
            for (Lookup lookup : lookups) {
                marks.add(lookup.mark());
            }
            return marks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(e);
        } catch (Exception e) {
            throw new Unavailable(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}

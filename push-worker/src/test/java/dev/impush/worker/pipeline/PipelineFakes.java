package dev.impush.worker.pipeline;

import dev.impush.model.Channel;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.feedback.Feedback;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.dedupe.Claim;
import dev.impush.worker.dedupe.Dedupe;
import dev.impush.worker.dedupe.DedupeUnavailableException;
import dev.impush.worker.dedupe.Recalled;
import dev.impush.worker.dedupe.Transition;
import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.dispatch.Sender;
import dev.impush.worker.publish.Publisher;
import dev.impush.worker.publish.RetryRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * In-memory edges for the pipeline's unit tests: a dedupe store with Redis' claim semantics (one
 * owner per key, leases that run out, marks, the token shield) that can be made unavailable, a sender
 * whose answers the test gives, a publisher that records and acknowledges (or fails) what it is given.
 */
final class PipelineFakes {
    private PipelineFakes() {}

    static final class FakeDedupe implements Dedupe {
        private record Entry(String value, long expiresAt) {}

        private final String owner;
        private final Clock clock;
        private final Duration lease = Duration.ofSeconds(30);
        final Map<DedupeKey, Entry> keys = new HashMap<>();
        final Map<String, Instant> shield = new HashMap<>();
        boolean available = true;
        /** Apply transitions at once but confirm them only when the test says ({@link #confirmMarks}), as Redis does. */
        boolean holdConfirmations;
        private final List<CompletableFuture<Void>> unconfirmed = new ArrayList<>();

        FakeDedupe(String owner, Clock clock) {
            this.owner = owner;
            this.clock = clock;
        }

        /** Another worker holds {@code key} for {@code remaining}. */
        void heldBy(String other, DedupeKey key, Duration remaining) {
            keys.put(key, new Entry("inflight:" + other, clock.millis() + remaining.toMillis()));
        }

        String state(DedupeKey key) {
            Entry e = keys.get(key);
            return e == null || e.expiresAt <= clock.millis() ? null : e.value;
        }

        private void check() throws DedupeUnavailableException {
            if (!available) {
                throw new DedupeUnavailableException("redis is away", null);
            }
        }

        @Override
        public List<Claim> claim(List<DedupeKey> claimed, List<PushTarget> targets) throws DedupeUnavailableException {
            check();
            List<Claim> out = new ArrayList<>();
            for (int i = 0; i < claimed.size(); i++) {
                DedupeKey k = claimed.get(i);
                PushTarget t = targets.get(i);
                Instant bad = shield.get(k.userId() + "/" + t.channel() + "/" + t.token());
                String current = state(k);
                if (bad != null && (t.registeredAt() == null || !bad.isBefore(t.registeredAt()))) {
                    out.add(new Claim.Shielded(bad));
                } else if (current == null) {
                    keys.put(k, new Entry("inflight:" + owner, clock.millis() + lease.toMillis()));
                    out.add(Claim.CLAIMED);
                } else if (current.startsWith("inflight:")) {
                    out.add(new Claim.HeldElsewhere(current.substring("inflight:".length()),
                            Duration.ofMillis(keys.get(k).expiresAt - clock.millis())));
                } else {
                    out.add(new Claim.AlreadyDone(current));
                }
            }
            return out;
        }

        @Override
        public List<Recalled> recall(List<DedupeKey> recalled) throws DedupeUnavailableException {
            check();
            List<Recalled> out = new ArrayList<>();
            for (DedupeKey k : recalled) {
                String current = state(k);
                if (current == null) {
                    keys.put(k, new Entry("done", Long.MAX_VALUE));
                    out.add(Recalled.CANCELLED);
                } else if (current.startsWith("inflight:")) {
                    out.add(new Recalled.Sending(current.substring("inflight:".length())));
                } else {
                    out.add(current.equals("sent") ? Recalled.WAS_SENT : Recalled.NEVER_SENT);
                }
            }
            return out;
        }

        @Override
        public CompletableFuture<Void> apply(List<Transition> transitions) {
            if (!available) {
                return CompletableFuture.failedFuture(new DedupeUnavailableException("redis is away", null));
            }
            for (Transition t : transitions) {
                switch (t) {
                    case Transition.Release r -> keys.remove(r.key());
                    case Transition.MarkSent s -> keys.put(s.key(), new Entry("sent", Long.MAX_VALUE));
                    case Transition.MarkDone d -> keys.put(d.key(), new Entry("done", Long.MAX_VALUE));
                }
            }
            if (holdConfirmations) {
                CompletableFuture<Void> later = new CompletableFuture<>();
                unconfirmed.add(later);
                return later;
            }
            return CompletableFuture.completedFuture(null);
        }

        void confirmMarks() {
            unconfirmed.forEach(f -> f.complete(null));
            unconfirmed.clear();
        }

        @Override
        public List<Boolean> renew(List<DedupeKey> renewed) throws DedupeUnavailableException {
            check();
            return renewed.stream().map(k -> ("inflight:" + owner).equals(state(k))).toList();
        }

        @Override
        public Duration lease() {
            return lease;
        }

        @Override
        public void shield(String userId, Channel channel, String token, Instant invalidatedAt) {
            shield.put(userId + "/" + channel + "/" + token, invalidatedAt);
        }
    }

    /** Each send waits for the test to answer it ({@link #answer}). */
    static final class FakeSender implements Sender {
        final Map<String, CompletableFuture<SendResult>> pending = new LinkedHashMap<>();
        final List<Delivery> sent = new ArrayList<>();
        private final Set<Channel> channels;

        FakeSender(Set<Channel> channels) {
            this.channels = channels;
        }

        void answer(String deviceId, SendResult result) {
            pending.remove(deviceId).complete(result);
        }

        @Override
        public Set<Channel> vendors() {
            return channels;
        }

        @Override
        public Optional<String> missing(PushTarget target) {
            return channels.contains(target.channel()) ? Optional.empty()
                    : Optional.of("no " + target.channel().wireName() + " channel is configured");
        }

        @Override
        public boolean healthy(PushTarget target) {
            return true;
        }

        @Override
        public long recoveredAt(Channel channel) {
            return 0;
        }

        @Override
        public CompletableFuture<SendResult> send(Delivery delivery) {
            sent.add(delivery);
            CompletableFuture<SendResult> f = new CompletableFuture<>();
            pending.put(delivery.target().deviceId(), f);
            return f;
        }
    }

    /** Acknowledges at once unless told to fail the next publications. */
    static final class FakePublisher implements Publisher {
        final List<Feedback> feedback = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<RetryRecord> retries = new ArrayList<>();
        /** Thrown at the next publications, one each, in order. */
        final List<Exception> failures = new ArrayList<>();

        private void answer(Runnable record, Consumer<Exception> done) {
            if (!failures.isEmpty()) {
                done.accept(failures.removeFirst());
                return;
            }
            record.run();
            done.accept(null);
        }

        @Override
        public void feedback(Feedback f, Consumer<Exception> done) {
            answer(() -> feedback.add(f), done);
        }

        @Override
        public void deadLetter(byte[] key, DeadLetter letter, Consumer<Exception> done) {
            answer(() -> deadLetters.add(letter), done);
        }

        @Override
        public void retry(RetryRecord r, Consumer<Exception> done) {
            answer(() -> retries.add(r), done);
        }
    }
}

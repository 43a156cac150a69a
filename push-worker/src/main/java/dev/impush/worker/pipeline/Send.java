package dev.impush.worker.pipeline;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.worker.channel.Delivery;

/**
 * One delivery of a record's job, and its dedupe key: what is claimed, sent and marked.
 *
 * @param recalled in a recall job, the key of the recalled message's delivery to the same device, which
 *                 decides whether this one is sent; {@code null} in every other job
 */
record Send(JobState job, Delivery delivery, DedupeKey key, DedupeKey recalled) {}

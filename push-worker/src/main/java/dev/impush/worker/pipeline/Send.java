package dev.impush.worker.pipeline;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.worker.channel.Delivery;

/** One delivery of a record's job, and its dedupe key: what is claimed, sent and marked. */
record Send(JobState job, Delivery delivery, DedupeKey key) {}

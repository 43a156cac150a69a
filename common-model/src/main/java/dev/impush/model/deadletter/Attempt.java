package dev.impush.model.deadletter;

import dev.impush.model.Channel;
import java.time.Instant;

/** One send attempt to one device: when, through which channel, what came back. */
public record Attempt(Instant at, String deviceId, Channel channel, String outcome, String detail) {}

package dev.impush.detector.state;

import java.time.Instant;

/** A device's long connection: the gateway holding it and since when. */
public record Connection(String gatewayId, Instant since) {}

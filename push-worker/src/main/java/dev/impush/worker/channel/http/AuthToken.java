package dev.impush.worker.channel.http;

import java.time.Instant;

/** A credential a vendor issued, and when it stops working. {@link #toString()} never shows it. */
public record AuthToken(String value, Instant expiresAt) {
    @Override
    public String toString() {
        return "AuthToken[expires " + expiresAt + "]";
    }
}

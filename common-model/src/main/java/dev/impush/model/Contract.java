package dev.impush.model;

import java.time.Instant;
import java.util.List;

/**
 * A versioned record of the public contract. {@link #violations()} lists what is wrong with a
 * decoded instance; an empty list means it may be processed.
 */
public interface Contract {
    /** The only version this release reads and writes. */
    int VERSION = 1;

    /**
     * Every time a contract carries lies in [{@code EARLIEST}, {@code LATEST}): far enough either
     * way for any real clock, near enough that adding any bounded duration never overflows.
     */
    Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    int v();

    List<String> violations();
}

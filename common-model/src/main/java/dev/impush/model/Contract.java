package dev.impush.model;

import java.util.List;

/**
 * A versioned record of the public contract. {@link #violations()} lists what is wrong with a
 * decoded instance; an empty list means it may be processed.
 */
public interface Contract {
    /** The only version this release reads and writes. */
    int VERSION = 1;

    int v();

    List<String> violations();
}

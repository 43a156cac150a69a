package dev.impush.client;

import java.util.List;

/** An event that impush would dead-letter: it breaks the JSON Schema or the contract. Nothing was sent. */
public final class InvalidEventException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidEventException(String what, List<String> problems) {
        super(what + " is not a valid impush event: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** What is wrong, one entry per problem. */
    public List<String> problems() {
        return problems;
    }
}

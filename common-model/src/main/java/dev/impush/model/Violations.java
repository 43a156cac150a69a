package dev.impush.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects contract violations of a decoded record, each a short sentence naming the field. */
public final class Violations {
    private final List<String> messages = new ArrayList<>();

    public Violations required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            messages.add(field + " is required");
        }
        return this;
    }

    public Violations maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            messages.add(field + " is longer than " + max + " characters");
        }
        return this;
    }

    public Violations maxSize(String field, Collection<?> value, int max) {
        if (value != null && value.size() > max) {
            messages.add(field + " has more than " + max + " entries");
        }
        return this;
    }

    public Violations check(boolean ok, String message) {
        if (!ok) {
            messages.add(message);
        }
        return this;
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}

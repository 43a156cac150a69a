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

    /** An optional text: absent ({@code null}) is fine, present must be non-blank and at most {@code max} long. */
    public Violations optionalText(String field, String value, int max) {
        if (value != null && value.isBlank()) {
            messages.add(field + " must not be blank when present");
        }
        return maxLength(field, value, max);
    }

    public Violations maxSize(String field, Collection<?> value, int max) {
        if (value != null && value.size() > max) {
            messages.add(field + " has more than " + max + " entries");
        }
        return this;
    }

    /** A time, when present, within [{@link Contract#EARLIEST}, {@link Contract#LATEST}). */
    public Violations time(String field, java.time.Instant value) {
        if (value != null && (value.isBefore(Contract.EARLIEST) || !value.isBefore(Contract.LATEST))) {
            messages.add(field + " must lie between " + Contract.EARLIEST + " and " + Contract.LATEST);
        }
        return this;
    }

    /** A number within [{@code min}, {@code max}]. */
    public Violations range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            messages.add(field + " must lie between " + min + " and " + max);
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

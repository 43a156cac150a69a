package dev.impush.worker.channel.http;

/** A credential: {@link #toString()} never shows it. */
public record Secret(String value) {
    public Secret {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}

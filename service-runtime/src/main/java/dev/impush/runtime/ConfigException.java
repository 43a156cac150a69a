package dev.impush.runtime;

/** A configuration value is missing or malformed; the message names the variable to fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

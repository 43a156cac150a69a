package dev.impush.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Typed reads of configuration. Environment variables win over the optional properties file named
 * by {@code IMPUSH_CONFIG_FILE} (same keys); every read has a default or says which key is missing.
 */
public final class Env {
    public static final String CONFIG_FILE = "IMPUSH_CONFIG_FILE";

    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment over {@code IMPUSH_CONFIG_FILE}, if set. */
    public static Env system() {
        return layered(System.getenv());
    }

    /** The given variables over the file they name in {@code IMPUSH_CONFIG_FILE}, if any. */
    public static Env layered(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        String file = env.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException(CONFIG_FILE + "=" + file + " cannot be read: " + e.getMessage());
            }
            p.forEach((k, v) -> merged.put(k.toString(), v.toString()));
        }
        merged.putAll(env);
        return new Env(merged);
    }

    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key + " is required"));
    }

    public int integer(String key, int defaultValue, int min, int max) {
        long v = number(key, defaultValue);
        if (v < min || v > max) {
            throw new ConfigException(key + "=" + v + " is out of range [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    public Duration millis(String key, long defaultMillis) {
        long v = number(key, defaultMillis);
        if (v < 0) {
            throw new ConfigException(key + "=" + v + " must not be negative (milliseconds)");
        }
        return Duration.ofMillis(v);
    }

    public boolean bool(String key, boolean defaultValue) {
        return optional(key).map(s -> switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException(key + "=" + s + " is not a boolean (true|false)");
        }).orElse(defaultValue);
    }

    public Optional<Path> file(String key) {
        return optional(key).map(s -> {
            Path p = Path.of(s);
            if (!Files.isReadable(p)) {
                throw new ConfigException(key + "=" + s + " is not a readable file");
            }
            return p;
        });
    }

    private long number(String key, long defaultValue) {
        return optional(key).map(s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "=" + s + " is not a whole number");
            }
        }).orElse(defaultValue);
    }
}

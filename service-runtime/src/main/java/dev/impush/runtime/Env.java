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
import java.util.SortedMap;
import java.util.TreeMap;

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

    /** One of {@code fallback}'s enum constants, written in any case with {@code -} for {@code _}. */
    public <E extends Enum<E>> E choice(String key, E fallback) {
        return optional(key).map(s -> {
            for (E e : fallback.getDeclaringClass().getEnumConstants()) {
                if (e.name().replace('_', '-').equalsIgnoreCase(s.trim())) {
                    return e;
                }
            }
            throw new ConfigException(key + "=" + s + " is not one of " + java.util.Arrays.stream(
                    fallback.getDeclaringClass().getEnumConstants()).map(e -> e.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-')).toList());
        }).orElse(fallback);
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

    /**
     * A secret from {@code key}, or read (trimmed) from the file {@code fileKey} names; empty when
     * neither is set. Both set, an empty file or an unreadable one is an error that names the key,
     * never the value.
     */
    public Optional<String> secret(String key, String fileKey) {
        Optional<String> inline = optional(key);
        Optional<Path> file = file(fileKey);
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException("set only one of " + key + " and " + fileKey);
        }
        return file.isEmpty() ? inline : fileText(fileKey);
    }

    /**
     * The trimmed contents of the file {@code key} names; empty when unset. An empty or unreadable
     * file is an error that names the key, never the contents.
     */
    public Optional<String> fileText(String key) {
        return file(key).map(path -> {
            try {
                String s = Files.readString(path).trim();
                if (s.isEmpty()) {
                    throw new ConfigException(key + "=" + path + " is empty");
                }
                return s;
            } catch (IOException e) {
                throw new ConfigException(key + "=" + path + " cannot be read: " + e.getClass().getSimpleName());
            }
        });
    }

    /** Every set key that starts with {@code prefix}, with its value, in key order. */
    public SortedMap<String, String> withPrefix(String prefix) {
        SortedMap<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && !v.isBlank()) {
                out.put(k, v.trim());
            }
        });
        return out;
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

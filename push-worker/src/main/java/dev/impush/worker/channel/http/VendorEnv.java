package dev.impush.worker.channel.http;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the settings every vendor channel shares from {@link Env}. Each method takes the variable
 * names it reads and returns the default when the variable is unset; a value that is set but wrong
 * throws a {@link ConfigException} whose message names the variable (never a secret's value).
 */
public final class VendorEnv {
    private VendorEnv() {}

    /**
     * The secret from {@code key}, or read (trimmed) from the file {@code fileKey} names; empty when
     * neither is set. Both set, an empty file or an unreadable one is an error.
     */
    public static Optional<String> optionalSecret(Env env, String key, String fileKey) {
        return env.secret(key, fileKey);
    }

    /** Like {@link #optionalSecret}, but exactly one of {@code key} and {@code fileKey} must be set. */
    public static String requiredSecret(Env env, String key, String fileKey) {
        if (env.optional(key).isPresent() == env.optional(fileKey).isPresent()) {
            throw new ConfigException("set exactly one of " + key + " and " + fileKey);
        }
        return optionalSecret(env, key, fileKey).orElseThrow();
    }

    /** An absolute http(s) URL with a host, used as given (path included). */
    public static URI httpUrl(Env env, String key, URI defaultValue) {
        return env.optional(key).map(v -> {
            try {
                URI uri = new URI(v);
                if (uri.getHost() == null || !isHttp(uri)) {
                    throw new URISyntaxException(v, "not absolute http(s)");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ConfigException(key + "=" + v + " must be an absolute http(s) URL");
            }
        }).orElse(defaultValue);
    }

    /**
     * A comma list of numeric codes ({@code -?\d{1,12}}, blanks ignored); {@code none} is the empty
     * set (Env cannot carry a blank value).
     */
    public static Set<String> codes(Env env, String key, Set<String> defaults) {
        Optional<String> value = env.optional(key);
        if (value.isEmpty()) {
            return defaults;
        }
        if ("none".equalsIgnoreCase(value.get().trim())) {
            return Set.of();
        }
        Set<String> codes = Arrays.stream(value.get().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String c : codes) {
            if (!c.matches("-?\\d{1,12}")) {
                throw new ConfigException(key + " must be a comma-separated list of numeric codes (or none), not '" + c + "'");
            }
        }
        return codes;
    }

    /** {@link #codes} as {@code int}s; a code beyond {@code int} is an error. */
    public static Set<Integer> intCodes(Env env, String key, Set<Integer> defaults) {
        if (env.optional(key).isEmpty()) {
            return defaults;
        }
        try {
            return codes(env, key, Set.of()).stream().map(Integer::valueOf).collect(Collectors.toUnmodifiableSet());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a comma-separated list of int codes: " + e.getMessage());
        }
    }

    /** {@code a=b,c=d} into a map (in order, trimmed; blank items ignored); any other shape is an error. */
    public static Map<String, String> pairs(Env env, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        env.optional(key).ifPresent(s -> {
            for (String item : s.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq <= 0 || eq == item.length() - 1) {
                    throw new ConfigException(key + ": '" + item.trim() + "' must be key=value (comma-separated)");
                }
                out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
            }
        });
        return out;
    }

    /** A time zone id such as {@code Asia/Shanghai} (where a daily quota resets). */
    public static ZoneId zone(Env env, String key, ZoneId defaultValue) {
        return env.optional(key).map(v -> {
            try {
                return ZoneId.of(v);
            } catch (DateTimeException e) {
                throw new ConfigException(key + "=" + v + " is not a time zone id (e.g. Asia/Shanghai)");
            }
        }).orElse(defaultValue);
    }

    /** Milliseconds that must be more than zero. */
    public static Duration positiveMillis(Env env, String key, Duration defaultValue) {
        Duration d = env.millis(key, defaultValue.toMillis());
        if (d.isZero()) {
            throw new ConfigException(key + "=0 must be positive (milliseconds)");
        }
        return d;
    }

    /** {@code "none"} (any case) as {@code ""}: Env cannot carry a blank value to mean "omit". */
    public static String omitNone(String value) {
        return "none".equalsIgnoreCase(value) ? "" : value;
    }

    private static boolean isHttp(URI uri) {
        return "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    }
}

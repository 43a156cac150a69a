package dev.impush.runtime.redis;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service reaches Redis: the URI ({@code rediss://} for TLS), an ACL user and password kept
 * out of the URI (a password file is a mounted Secret), and the CA that signed the server's
 * certificate. Read with {@link #fromEnv}; {@link #client} builds the Lettuce client. Neither
 * {@link #toString()} nor an error message carries the password.
 */
public final class RedisConnection {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    public static final String URI_KEY = "IMPUSH_REDIS_URI";
    public static final String USERNAME = "IMPUSH_REDIS_USERNAME";
    public static final String PASSWORD = "IMPUSH_REDIS_PASSWORD";
    public static final String PASSWORD_FILE = "IMPUSH_REDIS_PASSWORD_FILE";
    public static final String CA_FILE = "IMPUSH_REDIS_CA_FILE";
    public static final String DEFAULT_URI = "redis://localhost:6379";

    private final RedisURI uri;
    private final Optional<Path> ca;
    private final String description;

    private RedisConnection(RedisURI uri, Optional<Path> ca, String description) {
        this.uri = uri;
        this.ca = ca;
        this.description = description;
    }

    /** {@code uri} as given (credentials in it are used), the JVM's CAs for {@code rediss://}. */
    public static RedisConnection of(String uri) {
        RedisURI parsed = parse(URI_KEY, uri);
        return new RedisConnection(parsed, Optional.empty(), withoutUserInfo(uri));
    }

    /**
     * Reads {@code IMPUSH_REDIS_URI}, {@code _USERNAME}, {@code _PASSWORD(_FILE)} and {@code _CA_FILE}.
     *
     * @throws ConfigException naming the variable that is wrong (never a password)
     */
    public static RedisConnection fromEnv(Env env) {
        String text = env.string(URI_KEY, DEFAULT_URI);
        RedisURI parsed = parse(URI_KEY, text);
        Optional<String> user = env.optional(USERNAME);
        Optional<String> password = env.secret(PASSWORD, PASSWORD_FILE);
        StringBuilder d = new StringBuilder(withoutUserInfo(text));
        if (user.isPresent() || password.isPresent()) {
            if (URI.create(text).getRawUserInfo() != null) {
                throw new ConfigException(URI_KEY + " carries credentials and " + USERNAME + "/" + PASSWORD_FILE
                        + " are set too: use one or the other");
            }
            if (password.isEmpty()) {
                throw new ConfigException(USERNAME + " needs one of " + PASSWORD_FILE + " and " + PASSWORD);
            }
            RedisURI.Builder b = RedisURI.builder(parsed);
            parsed = (user.isPresent() ? b.withAuthentication(user.get(), password.get()) : b.withPassword(password.get())).build();
            d.append(" as ").append(user.orElse("default"));
        }
        Optional<Path> ca = env.file(CA_FILE);
        if (ca.isPresent()) {
            if (!parsed.isSsl()) {
                throw new ConfigException(CA_FILE + " needs a rediss:// " + URI_KEY + " (TLS)");
            }
            d.append(", CA from ").append(ca.get());
        }
        return new RedisConnection(parsed, ca, d.toString());
    }

    /** A client for this Redis; {@code options} tunes the client options (TLS is already set). */
    public RedisClient client(UnaryOperator<ClientOptions.Builder> options) {
        RedisClient client = RedisClient.create(uri);
        ClientOptions.Builder b = ClientOptions.builder();
        ca.ifPresent(file -> b.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(file.toFile()).build()));
        client.setOptions(options.apply(b).build());
        return client;
    }

    /**
     * Connects once and sends {@code PING}. A refused login or TLS handshake is a configuration error
     * and throws; Redis merely unreachable is logged and survived (the worker waits for it as for any
     * Redis outage).
     *
     * @throws ConfigException naming the settings to check
     */
    public void requireLogin(RedisClient client, Duration timeout) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RedisCommandExecutionException r && r.getMessage() != null
                        && (r.getMessage().startsWith("WRONGPASS") || r.getMessage().startsWith("NOAUTH"))) {
                    throw new ConfigException("Redis at " + this + " refused the login (check " + USERNAME + " and "
                            + PASSWORD_FILE + " or " + PASSWORD + "): " + r.getMessage());
                }
                if (t instanceof SSLException s) {
                    throw new ConfigException("TLS handshake with Redis at " + this + " failed (check " + CA_FILE
                            + " and the rediss:// " + URI_KEY + "): " + s.getMessage());
                }
            }
            LOG.warn("Redis at {} does not answer yet ({}); carrying on: nothing is sent until it does", this, e.toString());
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static RedisURI parse(String key, String text) {
        try {
            return RedisURI.create(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + "=" + withoutUserInfo(text) + " is not a redis:// or rediss:// URI");
        }
    }

    private static String withoutUserInfo(String text) {
        return text.replaceFirst("//[^@/]*@", "//");
    }
}

package dev.impush.runtime.redis;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service reaches Redis: the URI ({@code rediss://} for TLS), or a Redis Cluster's seed list
 * (several URIs, comma-separated), an ACL user and password kept out of the URI (a password file is
 * a mounted Secret), and the CA that signed the servers' certificates. Read with {@link #fromEnv};
 * {@link #open} connects. Neither {@link #toString()} nor an error message carries the password.
 *
 * <p>Standalone or cluster ({@code IMPUSH_REDIS_MODE}): {@code auto} (the default) takes a seed list
 * for a cluster and asks a single server ({@code INFO cluster}); {@code standalone} and
 * {@code cluster} insist, and a server that says otherwise stops the service at start.
 */
public final class RedisConnection {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    public static final String URI_KEY = "IMPUSH_REDIS_URI";
    public static final String MODE_KEY = "IMPUSH_REDIS_MODE";
    public static final String USERNAME = "IMPUSH_REDIS_USERNAME";
    public static final String PASSWORD = "IMPUSH_REDIS_PASSWORD";
    public static final String PASSWORD_FILE = "IMPUSH_REDIS_PASSWORD_FILE";
    public static final String CA_FILE = "IMPUSH_REDIS_CA_FILE";
    public static final String DEFAULT_URI = "redis://localhost:6379";
    /** How often a cluster client re-reads the topology besides on MOVED/ASK and failures. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    /** Standalone or cluster: {@code IMPUSH_REDIS_MODE}. */
    public enum Mode { AUTO, STANDALONE, CLUSTER }

    private final List<RedisURI> uris;
    private final Mode mode;
    private final Optional<Path> ca;
    private final String description;

    private RedisConnection(List<RedisURI> uris, Mode mode, Optional<Path> ca, String description) {
        this.uris = List.copyOf(uris);
        this.mode = mode;
        this.ca = ca;
        this.description = description;
    }

    /** {@code uri} as given (credentials in it are used; a comma-separated list is a cluster's seeds), the JVM's CAs. */
    public static RedisConnection of(String uri) {
        return new RedisConnection(parse(uri), Mode.AUTO, Optional.empty(), withoutUserInfo(uri));
    }

    /**
     * Reads {@code IMPUSH_REDIS_URI}, {@code _MODE}, {@code _USERNAME}, {@code _PASSWORD(_FILE)} and
     * {@code _CA_FILE}.
     *
     * @throws ConfigException naming the variable that is wrong (never a password)
     */
    public static RedisConnection fromEnv(Env env) {
        String text = env.string(URI_KEY, DEFAULT_URI);
        List<RedisURI> parsed = parse(text);
        Mode mode = env.choice(MODE_KEY, Mode.AUTO);
        if (mode == Mode.STANDALONE && parsed.size() > 1) {
            throw new ConfigException(URI_KEY + " lists " + parsed.size() + " servers (a cluster's seeds) and "
                    + MODE_KEY + "=standalone: list one server, or set " + MODE_KEY + "=cluster");
        }
        Optional<String> user = env.optional(USERNAME);
        Optional<String> password = env.secret(PASSWORD, PASSWORD_FILE);
        StringBuilder d = new StringBuilder(withoutUserInfo(text));
        if (user.isPresent() || password.isPresent()) {
            if (text.matches("(?s).*//[^/,]*@.*")) {
                throw new ConfigException(URI_KEY + " carries credentials and " + USERNAME + "/" + PASSWORD_FILE
                        + " are set too: use one or the other");
            }
            if (password.isEmpty()) {
                throw new ConfigException(USERNAME + " needs one of " + PASSWORD_FILE + " and " + PASSWORD);
            }
            parsed = parsed.stream().map(u -> {
                RedisURI.Builder b = RedisURI.builder(u);
                return (user.isPresent() ? b.withAuthentication(user.get(), password.get())
                        : b.withPassword(password.get())).build();
            }).toList();
            d.append(" as ").append(user.orElse("default"));
        }
        Optional<Path> ca = env.file(CA_FILE);
        if (ca.isPresent()) {
            if (!parsed.stream().allMatch(RedisURI::isSsl)) {
                throw new ConfigException(CA_FILE + " needs rediss:// " + URI_KEY + " (TLS)");
            }
            d.append(", CA from ").append(ca.get());
        }
        return new RedisConnection(parsed, mode, ca, d.toString());
    }

    /**
     * Connects, tells standalone from cluster ({@link Mode}) and sends {@code PING}. A refused
     * login or TLS handshake, or a server that is not what {@code IMPUSH_REDIS_MODE} says, is a
     * configuration error; a standalone server merely unreachable is logged and survived (the worker
     * waits for it as for any Redis outage). {@code options} tunes the client (TLS is already set).
     *
     * @throws ConfigException naming the settings to check
     */
    public RedisLink open(UnaryOperator<ClientOptions.Builder> options, Duration timeout) {
        if (mode != Mode.CLUSTER && uris.size() == 1) {
            RedisClient client = RedisClient.create(uris.getFirst());
            client.setOptions(options.apply(withTls(ClientOptions.builder())).build());
            boolean cluster;
            try {
                cluster = clusterEnabled(client, timeout);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ZERO);
                throw e;
            }
            if (!cluster) {
                return new RedisLink(client, description);
            }
            client.shutdown(Duration.ZERO, Duration.ZERO);
            if (mode == Mode.STANDALONE) {
                throw new ConfigException(URI_KEY + "=" + this + " is a Redis Cluster node and " + MODE_KEY
                        + "=standalone: set " + MODE_KEY + "=cluster (or auto)");
            }
        }
        RedisClusterClient client = RedisClusterClient.create(uris);
        ClusterClientOptions.Builder b = ClusterClientOptions.builder().topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder().enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .enableAllAdaptiveRefreshTriggers().build());
        withTls(b);
        client.setOptions((ClusterClientOptions) options.apply(b).build());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            c.async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            client.shutdown(Duration.ZERO, Duration.ZERO);
            throw new ConfigException(refusal(e).orElse("the Redis Cluster at " + this + " cannot be reached or is"
                    + " not a cluster (check " + URI_KEY + " and " + MODE_KEY + "): " + rootMessage(e)));
        }
        return new RedisLink(client, description + " (cluster)");
    }

    /** Whether the one server says it is a cluster node; false when it cannot be asked (logged). */
    private boolean clusterEnabled(RedisClient client, Duration timeout) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.async().info("cluster").get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .contains("cluster_enabled:1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            Optional<String> refused = refusal(e);
            if (refused.isPresent()) {
                throw new ConfigException(refused.get());
            }
            LOG.warn("Redis at {} does not answer yet ({}); carrying on as a standalone server (set {}=cluster for a"
                    + " cluster): nothing is sent until it answers", this, e.toString(), MODE_KEY);
            return false;
        }
    }

    /** What a refused login or TLS handshake in {@code e} means, naming the settings to check. */
    private Optional<String> refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException r && r.getMessage() != null
                    && (r.getMessage().startsWith("WRONGPASS") || r.getMessage().startsWith("NOAUTH"))) {
                return Optional.of("Redis at " + this + " refused the login (check " + USERNAME + " and "
                        + PASSWORD_FILE + " or " + PASSWORD + "): " + r.getMessage());
            }
            if (t instanceof SSLException s) {
                return Optional.of("TLS handshake with Redis at " + this + " failed (check " + CA_FILE
                        + " and the rediss:// " + URI_KEY + "): " + s.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }

    private ClientOptions.Builder withTls(ClientOptions.Builder b) {
        ca.ifPresent(file -> b.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(file.toFile()).build()));
        return b;
    }

    @Override
    public String toString() {
        return description;
    }

    private static List<RedisURI> parse(String text) {
        List<RedisURI> uris = new ArrayList<>();
        for (String one : text.split(",")) {
            if (one.isBlank()) {
                continue;
            }
            try {
                uris.add(RedisURI.create(one.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(URI_KEY + "=" + withoutUserInfo(text) + " is not a redis:// or rediss:// URI"
                        + " (or a comma-separated list of them)");
            }
        }
        if (uris.isEmpty()) {
            throw new ConfigException(URI_KEY + " is empty");
        }
        return uris;
    }

    private static String withoutUserInfo(String text) {
        return text.replaceAll("//[^@/,]*@", "//");
    }
}

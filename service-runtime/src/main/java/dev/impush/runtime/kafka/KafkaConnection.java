package dev.impush.runtime.kafka;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How a service's Kafka clients reach the cluster: the bootstrap servers, TLS and SASL, and any other
 * client setting passed through. Read once per service with {@link #fromEnv}; each client then asks
 * for its properties ({@link #producer}, {@link #consumer}, {@link #admin}, {@link #streams}).
 *
 * <p>Order, last wins: the client's tuning defaults, the security settings, the passed-through
 * settings. What impush relies on for correctness (offset commits, isolation, idempotence, the
 * application id...) is the client's {@code fixed} map: passing one of those through is an error at
 * start that names the variable, not a silent override.
 *
 * <p>Passed through: keys of {@code IMPUSH_KAFKA_PROPERTIES_FILE} (Kafka's own names), and variables
 * {@code IMPUSH_KAFKA_PROPERTY_<NAME>} where {@code NAME} is the Kafka name upper-cased with
 * {@code .} as {@code _} ({@code __} for a literal {@code _}, {@code ___} for {@code -}), e.g.
 * {@code IMPUSH_KAFKA_PROPERTY_CLIENT_RACK}. A key prefixed {@code producer.}, {@code consumer.} or
 * {@code admin.} applies to that client only; the others to every client that knows the key (a
 * Streams application gets them all, as Streams reads these prefixes itself).
 */
public final class KafkaConnection {
    public static final String BOOTSTRAP = "IMPUSH_KAFKA_BOOTSTRAP";
    public static final String SECURITY_PROTOCOL = "IMPUSH_KAFKA_SECURITY_PROTOCOL";
    public static final String SASL_MECHANISM = "IMPUSH_KAFKA_SASL_MECHANISM";
    public static final String SASL_USERNAME = "IMPUSH_KAFKA_SASL_USERNAME";
    public static final String SASL_PASSWORD = "IMPUSH_KAFKA_SASL_PASSWORD";
    public static final String SASL_PASSWORD_FILE = "IMPUSH_KAFKA_SASL_PASSWORD_FILE";
    public static final String SASL_JAAS_CONFIG_FILE = "IMPUSH_KAFKA_SASL_JAAS_CONFIG_FILE";
    public static final String SSL_CA_FILE = "IMPUSH_KAFKA_SSL_CA_FILE";
    public static final String SSL_CERT_FILE = "IMPUSH_KAFKA_SSL_CERT_FILE";
    public static final String SSL_KEY_FILE = "IMPUSH_KAFKA_SSL_KEY_FILE";
    public static final String SSL_KEY_PASSWORD = "IMPUSH_KAFKA_SSL_KEY_PASSWORD";
    public static final String SSL_KEY_PASSWORD_FILE = "IMPUSH_KAFKA_SSL_KEY_PASSWORD_FILE";
    public static final String PROPERTIES_FILE = "IMPUSH_KAFKA_PROPERTIES_FILE";
    public static final String PROPERTY_PREFIX = "IMPUSH_KAFKA_PROPERTY_";

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_SASL_MECHANISM = "SCRAM-SHA-512";
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");
    private static final String[] CLIENT_PREFIXES = {"producer.", "consumer.", "admin."};

    private final String bootstrap;
    private final String description;
    private final Map<String, Object> security;
    /** Kafka key → value, and where each came from (for errors). */
    private final Map<String, String> passThrough;
    private final Map<String, String> sources;

    private KafkaConnection(String bootstrap, String description, Map<String, Object> security,
                            Map<String, String> passThrough, Map<String, String> sources) {
        this.bootstrap = bootstrap;
        this.description = description;
        this.security = Map.copyOf(security);
        this.passThrough = Map.copyOf(passThrough);
        this.sources = Map.copyOf(sources);
    }

    /** A plaintext connection to {@code bootstrap} with nothing passed through (tests, tools). */
    public static KafkaConnection plaintext(String bootstrap) {
        return new KafkaConnection(bootstrap, "PLAINTEXT",
                Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"), Map.of(), Map.of());
    }

    /**
     * Reads {@code IMPUSH_KAFKA_*}.
     *
     * @throws ConfigException naming the variable that is wrong (never a secret's value)
     */
    public static KafkaConnection fromEnv(Env env) {
        String bootstrap = env.string(BOOTSTRAP, DEFAULT_BOOTSTRAP);
        String protocol = env.string(SECURITY_PROTOCOL, "PLAINTEXT").toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new ConfigException(SECURITY_PROTOCOL + "=" + protocol + " must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
        }
        Map<String, Object> security = new LinkedHashMap<>();
        security.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        StringBuilder description = new StringBuilder(protocol);
        boolean sasl = protocol.startsWith("SASL_");
        if (sasl) {
            description.append(", ").append(sasl(env, security));
        } else {
            for (String key : new String[] {SASL_USERNAME, SASL_PASSWORD, SASL_PASSWORD_FILE, SASL_JAAS_CONFIG_FILE}) {
                if (env.optional(key).isPresent()) {
                    throw new ConfigException(key + " needs " + SECURITY_PROTOCOL + "=SASL_SSL (or SASL_PLAINTEXT); it is "
                            + protocol + ", so the credentials would not be used");
                }
            }
        }
        if (protocol.endsWith("SSL")) {
            description.append(tls(env, security));
        } else if (env.optional(SSL_CA_FILE).isPresent() || env.optional(SSL_CERT_FILE).isPresent()) {
            throw new ConfigException(SSL_CA_FILE + " and " + SSL_CERT_FILE + " need " + SECURITY_PROTOCOL
                    + "=SSL or SASL_SSL; it is " + protocol);
        }
        Map<String, String> passThrough = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        env.file(PROPERTIES_FILE).ifPresent(file -> readProperties(file, passThrough, sources));
        env.withPrefix(PROPERTY_PREFIX).forEach((variable, value) -> {
            String key = kafkaName(variable.substring(PROPERTY_PREFIX.length()));
            passThrough.put(key, value);
            sources.put(key, variable);
        });
        if (passThrough.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(sources.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    + ": set the bootstrap servers with " + BOOTSTRAP);
        }
        for (String key : security.keySet()) {
            if (passThrough.containsKey(key)) {
                throw new ConfigException(sources.get(key) + " sets " + key + ", which the IMPUSH_KAFKA_SECURITY_PROTOCOL,"
                        + " _SASL_* and _SSL_* settings set: use one or the other");
            }
        }
        if (!passThrough.isEmpty()) {
            description.append("; passed through: ").append(String.join(", ", passThrough.keySet()));
        }
        return new KafkaConnection(bootstrap, description.toString(), security, passThrough, sources);
    }

    private static String sasl(Env env, Map<String, Object> security) {
        String mechanism = env.string(SASL_MECHANISM, DEFAULT_SASL_MECHANISM).toUpperCase(Locale.ROOT);
        security.put(SaslConfigs.SASL_MECHANISM, mechanism);
        Optional<String> jaas = env.fileText(SASL_JAAS_CONFIG_FILE);
        if (jaas.isPresent()) {
            if (env.optional(SASL_USERNAME).isPresent()) {
                throw new ConfigException("set only one of " + SASL_USERNAME + " and " + SASL_JAAS_CONFIG_FILE);
            }
            security.put(SaslConfigs.SASL_JAAS_CONFIG, jaas.get());
            return mechanism + " with the JAAS configuration of " + SASL_JAAS_CONFIG_FILE;
        }
        String module = LOGIN_MODULES.get(mechanism);
        if (module == null) {
            throw new ConfigException(SASL_MECHANISM + "=" + mechanism + " takes its login from " + SASL_JAAS_CONFIG_FILE
                    + " (and, e.g. for OAUTHBEARER, a callback handler passed through); a user and password are for "
                    + String.join(", ", new TreeMap<>(LOGIN_MODULES).keySet()));
        }
        String user = env.optional(SASL_USERNAME).orElseThrow(() -> new ConfigException(
                SASL_USERNAME + " is required with " + SECURITY_PROTOCOL + "=SASL_* and " + mechanism
                        + " (or set " + SASL_JAAS_CONFIG_FILE + ")"));
        String password = env.secret(SASL_PASSWORD, SASL_PASSWORD_FILE).orElseThrow(() -> new ConfigException(
                "one of " + SASL_PASSWORD + " and " + SASL_PASSWORD_FILE + " is required with " + SASL_USERNAME));
        security.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasQuoted(user)
                + "\" password=\"" + jaasQuoted(password) + "\";");
        return mechanism + " as " + user;
    }

    private static String tls(Env env, Map<String, Object> security) {
        StringBuilder d = new StringBuilder();
        env.file(SSL_CA_FILE).ifPresentOrElse(ca -> {
            security.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            security.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.toString());
            d.append(", CA from ").append(ca);
        }, () -> d.append(", the JVM's CAs"));
        Optional<Path> cert = env.file(SSL_CERT_FILE);
        Optional<Path> key = env.file(SSL_KEY_FILE);
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException("set both " + SSL_CERT_FILE + " and " + SSL_KEY_FILE + " (client certificate), or neither");
        }
        if (cert.isPresent()) {
            security.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            security.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, env.fileText(SSL_CERT_FILE).orElseThrow());
            security.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, env.fileText(SSL_KEY_FILE).orElseThrow());
            env.secret(SSL_KEY_PASSWORD, SSL_KEY_PASSWORD_FILE)
                    .ifPresent(p -> security.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, p));
            d.append(", client certificate ").append(cert.get());
        }
        return d.toString();
    }

    /** {@code CLIENT_RACK} → {@code client.rack}; {@code __} is a {@code _}, {@code ___} a {@code -}. */
    static String kafkaName(String variableSuffix) {
        return variableSuffix.toLowerCase(Locale.ROOT).replace("___", "\u0001").replace("__", "\u0002")
                .replace('_', '.').replace('\u0002', '_').replace('\u0001', '-');
    }

    private static void readProperties(Path file, Map<String, String> into, Map<String, String> sources) {
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (IOException e) {
            throw new ConfigException(PROPERTIES_FILE + "=" + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        p.stringPropertyNames().forEach(k -> {
            into.put(k.trim(), p.getProperty(k).trim());
            sources.put(k.trim(), PROPERTIES_FILE + " (" + k.trim() + ")");
        });
    }

    private static String jaasQuoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaConnection k && bootstrap.equals(k.bootstrap) && security.equals(k.security)
                && passThrough.equals(k.passThrough);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootstrap, security, passThrough);
    }

    /** Security protocol, mechanism, user, CA file and the names of the keys passed through: no secret. */
    @Override
    public String toString() {
        return bootstrap + " (" + description + ")";
    }

    /** A producer's properties: {@code defaults}, then security and pass-through, then {@code fixed}. */
    public Map<String, Object> producer(Map<String, ?> defaults, Map<String, ?> fixed) {
        return build("producer.", ProducerConfig.configNames(), defaults, fixed);
    }

    /** A consumer's properties; see {@link #producer}. */
    public Map<String, Object> consumer(Map<String, ?> defaults, Map<String, ?> fixed) {
        return build("consumer.", ConsumerConfig.configNames(), defaults, fixed);
    }

    /** An admin client's properties; see {@link #producer}. */
    public Map<String, Object> admin(Map<String, ?> defaults, Map<String, ?> fixed) {
        return build("admin.", AdminClientConfig.configNames(), defaults, fixed);
    }

    /**
     * A Streams application's properties: every key passed through, prefixed or not (Streams routes
     * {@code producer.}/{@code consumer.}/{@code admin.} itself); see {@link #producer}.
     */
    public Map<String, Object> streams(Map<String, ?> defaults, Map<String, ?> fixed) {
        Map<String, String> origin = new LinkedHashMap<>();
        passThrough.keySet().forEach(k -> origin.put(k, k));
        return build(defaults, fixed, origin);
    }

    private Map<String, Object> build(String ownPrefix, Set<String> known, Map<String, ?> defaults, Map<String, ?> fixed) {
        Map<String, String> origin = new LinkedHashMap<>(); // the client's key → the key passed through
        passThrough.keySet().forEach(k -> {
            if (!hasClientPrefix(k) && known.contains(k)) {
                origin.putIfAbsent(k, k);
            }
        });
        passThrough.keySet().forEach(k -> {
            if (k.startsWith(ownPrefix)) {
                origin.put(k.substring(ownPrefix.length()), k);
            }
        });
        return build(defaults, fixed, origin);
    }

    private Map<String, Object> build(Map<String, ?> defaults, Map<String, ?> fixed, Map<String, String> origin) {
        Map<String, Object> out = new LinkedHashMap<>(defaults);
        out.putAll(security);
        origin.forEach((key, passed) -> out.put(key, passThrough.get(passed)));
        fixed.forEach((key, value) -> {
            if (origin.containsKey(key)) {
                throw new ConfigException(sources.get(origin.get(key)) + ": " + key + " is set by impush (" + value
                        + ") and cannot be changed");
            }
            out.put(key, value);
        });
        out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return out;
    }

    private static boolean hasClientPrefix(String key) {
        for (String p : CLIENT_PREFIXES) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}

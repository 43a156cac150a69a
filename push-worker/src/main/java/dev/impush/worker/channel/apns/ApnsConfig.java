package dev.impush.worker.channel.apns;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach APNs with token (.p8) authentication. Immutable; validated when built, so a bad
 * value fails start-up rather than the first send.
 *
 * <p>Environment keys read by {@link #fromEnv(Env)}:
 * <ul>
 *   <li>{@value #KEY_FILE}: path of the APNs signing key ({@code AuthKey_XXXXXXXXXX.p8}, PKCS#8 PEM).
 *       Unset = the APNs channel is disabled.</li>
 *   <li>{@value #KEY_ID}: the key's 10-character Key ID from the Apple developer account. Required with the key file.</li>
 *   <li>{@value #TEAM_ID}: the 10-character Team ID that owns the key. Required with the key file.</li>
 *   <li>{@value #HOST}: send every notification (sandbox and production) to this host instead of
 *       {@code api.push.apple.com} / {@code api.sandbox.push.apple.com}; for mocks and proxies. Default: Apple's hosts.</li>
 *   <li>{@value #PORT}: the APNs port, 443 or 2197 for Apple. Default 443.</li>
 *   <li>{@value #TRUST_CERT_FILE}: PEM file of the server certificate(s) to trust instead of the JDK's CAs,
 *       for the local mock or a private CA. Default: the JDK trust store.</li>
 *   <li>{@value #CONNECTIONS}: HTTP/2 connections per environment (production and sandbox each), 1–64. Default 8.</li>
 *   <li>{@value #RATE_LIMIT_BACKOFF_MS}: how long a device that got 429 {@code TooManyRequests} is left
 *       alone, in milliseconds. Default 60000.</li>
 * </ul>
 *
 * @param signingKeyFile            the .p8 file (never logged beyond its path)
 * @param keyId                     the key's id ({@code kid} of the provider JWT)
 * @param teamId                    the team id ({@code iss} of the provider JWT)
 * @param hostOverride              one host for both environments, or empty for Apple's hosts
 * @param port                      the server port
 * @param trustedServerCertificateFile PEM certificates to trust, or empty for the JDK trust store
 * @param concurrentConnections     connections per environment
 * @param rateLimitBackoff          how long to leave a device alone after 429 {@code TooManyRequests}
 */
public record ApnsConfig(
        Path signingKeyFile,
        String keyId,
        String teamId,
        Optional<String> hostOverride,
        int port,
        Optional<Path> trustedServerCertificateFile,
        int concurrentConnections,
        Duration rateLimitBackoff) {

    /** Path of the .p8 signing key; unset disables APNs. */
    public static final String KEY_FILE = "IMPUSH_APNS_KEY_FILE";
    /** Key ID of the signing key. */
    public static final String KEY_ID = "IMPUSH_APNS_KEY_ID";
    /** Team ID owning the signing key. */
    public static final String TEAM_ID = "IMPUSH_APNS_TEAM_ID";
    /** One host for both environments (mock, proxy); default Apple's production / sandbox hosts. */
    public static final String HOST = "IMPUSH_APNS_HOST";
    /** Server port; default 443. */
    public static final String PORT = "IMPUSH_APNS_PORT";
    /** PEM server certificate(s) to trust instead of the JDK trust store. */
    public static final String TRUST_CERT_FILE = "IMPUSH_APNS_TRUST_CERT_FILE";
    /** HTTP/2 connections per environment; default 4. */
    public static final String CONNECTIONS = "IMPUSH_APNS_CONNECTIONS";
    /** Back-off after 429 TooManyRequests, in ms; default 60000. */
    public static final String RATE_LIMIT_BACKOFF_MS = "IMPUSH_APNS_RATE_LIMIT_BACKOFF_MS";

    public static final int DEFAULT_PORT = ApnsClientBuilder.DEFAULT_APNS_PORT;
    /**
     * Eight: APNs allows 1,000 concurrent streams per connection, so at vendor latency L the channel
     * carries at most connections × 1,000 / L; with 4 the worker stalled at about 33,000/s at 100 ms
     * (scripts/bench). A real APNs connection carries about 1,000/s before latency climbs.
     */
    public static final int DEFAULT_CONNECTIONS = 8;
    public static final int MAX_CONNECTIONS = 64;
    public static final Duration DEFAULT_RATE_LIMIT_BACKOFF = Duration.ofSeconds(60);

    public ApnsConfig {
        Objects.requireNonNull(signingKeyFile, "signingKeyFile");
        keyId = requireText(keyId, KEY_ID);
        teamId = requireText(teamId, TEAM_ID);
        Objects.requireNonNull(hostOverride, "hostOverride");
        hostOverride.ifPresent(h -> checkHost(h, HOST));
        Objects.requireNonNull(trustedServerCertificateFile, "trustedServerCertificateFile");
        Objects.requireNonNull(rateLimitBackoff, "rateLimitBackoff");
        if (port < 1 || port > 65535) {
            throw new ConfigException(PORT + "=" + port + " is out of range [1, 65535]");
        }
        if (concurrentConnections < 1 || concurrentConnections > MAX_CONNECTIONS) {
            throw new ConfigException(CONNECTIONS + "=" + concurrentConnections + " is out of range [1, "
                    + MAX_CONNECTIONS + "]");
        }
        if (rateLimitBackoff.isNegative()) {
            throw new ConfigException(RATE_LIMIT_BACKOFF_MS + " must not be negative");
        }
    }

    /** Apple's hosts on port 443, the JDK trust store, 4 connections, 60 s rate-limit back-off. */
    public static ApnsConfig of(Path signingKeyFile, String keyId, String teamId) {
        return new ApnsConfig(signingKeyFile, keyId, teamId, Optional.empty(), DEFAULT_PORT, Optional.empty(),
                DEFAULT_CONNECTIONS, DEFAULT_RATE_LIMIT_BACKOFF);
    }

    /** Empty when {@value #KEY_FILE} is unset (APNs disabled); otherwise a validated configuration. */
    public static Optional<ApnsConfig> fromEnv(Env env) {
        if (env.optional(KEY_FILE).isEmpty()) {
            return Optional.empty();
        }
        Path keyFile = env.file(KEY_FILE).orElseThrow();
        String keyId = env.optional(KEY_ID).orElseThrow(
                () -> new ConfigException(KEY_ID + " is required when " + KEY_FILE + " is set"));
        String teamId = env.optional(TEAM_ID).orElseThrow(
                () -> new ConfigException(TEAM_ID + " is required when " + KEY_FILE + " is set"));
        return Optional.of(new ApnsConfig(keyFile, keyId, teamId,
                env.optional(HOST),
                env.integer(PORT, DEFAULT_PORT, 1, 65535),
                env.file(TRUST_CERT_FILE),
                env.integer(CONNECTIONS, DEFAULT_CONNECTIONS, 1, MAX_CONNECTIONS),
                env.millis(RATE_LIMIT_BACKOFF_MS, DEFAULT_RATE_LIMIT_BACKOFF.toMillis())));
    }

    /** The host for one environment: the override if set, else Apple's sandbox or production host. */
    public String host(boolean sandbox) {
        return hostOverride.orElse(sandbox ? ApnsClientBuilder.DEVELOPMENT_APNS_HOST
                : ApnsClientBuilder.PRODUCTION_APNS_HOST);
    }

    private static String requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key + " is required");
        }
        String v = value.trim();
        if (!v.chars().allMatch(Character::isLetterOrDigit)) {
            throw new ConfigException(key + "=" + v + " must be letters and digits only (as shown in the Apple developer account)");
        }
        return v;
    }

    private static void checkHost(String host, String key) {
        if (host.isBlank() || host.contains("/") || host.contains(":") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(key + "=" + host + " must be a bare host name or IPv4 address (no scheme, port or path)");
        }
    }
}

package dev.impush.worker.channel.webpush;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.Checks;
import dev.impush.worker.channel.http.Secret;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to send Web Push (RFC 8030, 8291, 8292) to the browsers' push services. Immutable; read it
 * with {@link #fromEnv}.
 *
 * @param vapidPrivateKey  the VAPID signing key: PEM (PKCS#8) or the raw 32-byte scalar in base64url; never printed
 * @param vapidPublicKey   its public key in base64url (65 bytes): the {@code applicationServerKey} the web
 *                         app subscribes with
 * @param subject          the operator's contact in each VAPID token ({@code mailto:} or {@code https:})
 * @param allowedHosts     push service hosts the worker posts to ({@code *.} matches any subdomain): a
 *                         subscription comes from a browser, so an endpoint elsewhere is refused rather
 *                         than requested (no request to an internal address on a client's word)
 * @param allowHttp        whether an {@code http:} endpoint may be posted to (local mocks only)
 * @param requestTimeout   timeout of one request
 * @param maxConcurrency   requests in flight at once, over every push service
 * @param rateLimitBackoff how long to hold off after a 429 without {@code Retry-After}
 */
public record WebPushConfig(Secret vapidPrivateKey, String vapidPublicKey, String subject, Set<String> allowedHosts,
                            boolean allowHttp, Duration requestTimeout, int maxConcurrency, Duration rateLimitBackoff) {

    public static final String PREFIX = "IMPUSH_WEBPUSH_";
    public static final String VAPID_PRIVATE_KEY = "IMPUSH_WEBPUSH_VAPID_PRIVATE_KEY";
    public static final String VAPID_PRIVATE_KEY_FILE = "IMPUSH_WEBPUSH_VAPID_PRIVATE_KEY_FILE";
    public static final String VAPID_PUBLIC_KEY = "IMPUSH_WEBPUSH_VAPID_PUBLIC_KEY";
    public static final String VAPID_SUBJECT = "IMPUSH_WEBPUSH_VAPID_SUBJECT";
    public static final String ALLOWED_HOSTS = "IMPUSH_WEBPUSH_ALLOWED_HOSTS";
    public static final String ALLOW_HTTP = "IMPUSH_WEBPUSH_ALLOW_HTTP";

    /** Chrome, Edge, Opera and Samsung Internet (FCM), Firefox (Mozilla), Safari (Apple), legacy Edge (WNS). */
    public static final Set<String> DEFAULT_ALLOWED_HOSTS = Set.of("fcm.googleapis.com", "updates.push.services.mozilla.com",
            "web.push.apple.com", "*.push.apple.com", "*.notify.windows.com");

    public WebPushConfig {
        Objects.requireNonNull(vapidPrivateKey, "vapidPrivateKey");
        Objects.requireNonNull(vapidPublicKey, "vapidPublicKey");
        if (subject == null || !(subject.startsWith("mailto:") || subject.startsWith("https:"))) {
            throw new IllegalArgumentException("subject must be a mailto: or https: URL");
        }
        allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        Checks.requirePositive(requestTimeout, "requestTimeout");
        Checks.requireNotNegative(rateLimitBackoff, "rateLimitBackoff");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
    }

    /** Whether a subscription's endpoint host is one of {@link #allowedHosts}. */
    public boolean allows(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String allowed : allowedHosts) {
            if (allowed.equals(h) || (allowed.startsWith("*.") && h.endsWith(allowed.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "WebPushConfig[vapidPrivateKey=***, vapidPublicKey=" + vapidPublicKey + ", subject=" + subject
                + ", allowedHosts=" + allowedHosts + ", allowHttp=" + allowHttp + "]";
    }

    /**
     * Reads {@code IMPUSH_WEBPUSH_*}. Empty when no VAPID private key is set (Web Push disabled); then
     * the public key and the subject are required, and the keys must be a pair.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<WebPushConfig> fromEnv(Env env) {
        Optional<String> key = VendorEnv.optionalSecret(env, VAPID_PRIVATE_KEY, VAPID_PRIVATE_KEY_FILE);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String publicKey = env.optional(VAPID_PUBLIC_KEY).orElseThrow(() -> new ConfigException(VAPID_PUBLIC_KEY
                + " is required with " + VAPID_PRIVATE_KEY_FILE + ": the applicationServerKey the web app subscribes with"));
        String subject = env.optional(VAPID_SUBJECT).orElseThrow(() -> new ConfigException(VAPID_SUBJECT
                + " is required with " + VAPID_PRIVATE_KEY_FILE + ": mailto:<address> or https:<url> (push services ask for it)"));
        Set<String> hosts = env.optional(ALLOWED_HOSTS).map(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet())).orElse(DEFAULT_ALLOWED_HOSTS);
        try {
            WebPushConfig config = new WebPushConfig(new Secret(key.get()), publicKey, subject, hosts,
                    env.bool(ALLOW_HTTP, false),
                    VendorEnv.positiveMillis(env, PREFIX + "TIMEOUT_MS", VendorSettings.DEFAULT_TIMEOUT),
                    env.integer(PREFIX + "MAX_CONCURRENCY", VendorSettings.DEFAULT_MAX_CONCURRENCY, 1, 100_000),
                    env.millis(PREFIX + "RATE_LIMIT_BACKOFF_MS", VendorSettings.DEFAULT_RATE_LIMIT_BACKOFF.toMillis()));
            config.vapid(Clock.systemUTC()); // the keys are a pair, or the worker does not start
            return Optional.of(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PREFIX + "*: " + e.getMessage() + " (" + VAPID_PRIVATE_KEY_FILE + ", "
                    + VAPID_PUBLIC_KEY + ", " + VAPID_SUBJECT + ")");
        }
    }

    /** The signer of this configuration's VAPID tokens. */
    Vapid vapid(Clock clock) {
        return new Vapid(vapidPrivateKey.value(), vapidPublicKey, subject, clock);
    }
}

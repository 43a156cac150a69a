package dev.impush.worker.channel.fcm;

import dev.impush.model.codec.Json;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.Checks;
import dev.impush.worker.channel.http.VendorEnv;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach FCM HTTP v1 through the Firebase Admin SDK. Immutable; read it with {@link #fromEnv}.
 *
 * @param projectId        the Firebase project id ({@code /v1/projects/{projectId}/messages:send})
 * @param credentials      a service-account file (production) or a static access token (mocks, tests)
 * @param baseUrl          where requests for {@code https://fcm.googleapis.com} go; the default is FCM
 *                         itself, a local URL points the SDK at a mock
 * @param maxConcurrency   sends in flight at once; more wait (on virtual threads) for a permit
 * @param requestTimeout   connect and read timeout of one HTTP request
 * @param rateLimitBackoff how long to hold off after {@code QUOTA_EXCEEDED} when FCM sends no
 *                         {@code Retry-After}
 */
public record FcmConfig(
        String projectId,
        Credentials credentials,
        URI baseUrl,
        int maxConcurrency,
        Duration requestTimeout,
        Duration rateLimitBackoff) {

    public static final String PROJECT_ID = "IMPUSH_FCM_PROJECT_ID";
    public static final String CREDENTIALS_FILE = "IMPUSH_FCM_CREDENTIALS_FILE";
    public static final String ACCESS_TOKEN = "IMPUSH_FCM_ACCESS_TOKEN";
    public static final String BASE_URL = "IMPUSH_FCM_BASE_URL";
    public static final String MAX_CONCURRENCY = "IMPUSH_FCM_MAX_CONCURRENCY";
    public static final String TIMEOUT_MS = "IMPUSH_FCM_TIMEOUT_MS";
    public static final String RATE_LIMIT_BACKOFF_MS = "IMPUSH_FCM_RATE_LIMIT_BACKOFF_MS";

    public static final URI DEFAULT_BASE_URL = URI.create("https://fcm.googleapis.com");
    public static final int DEFAULT_MAX_CONCURRENCY = 256;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RATE_LIMIT_BACKOFF = Duration.ofSeconds(60);

    /** What the SDK authenticates with. */
    public sealed interface Credentials {}

    /** A Google service-account JSON key file; the SDK mints and refreshes OAuth2 tokens from it. */
    public record ServiceAccountFile(Path path) implements Credentials {
        public ServiceAccountFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A fixed OAuth2 access token that is never refreshed. <b>For mocks and tests only:</b> a real
     * Google token expires within an hour and every send then fails with {@code AuthExpired}.
     */
    public record StaticAccessToken(String token) implements Credentials {
        public StaticAccessToken {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("access token must not be blank");
            }
        }

        @Override
        public String toString() {
            return "StaticAccessToken[***]"; // a credential: never in logs
        }
    }

    public FcmConfig {
        if (projectId == null || projectId.isBlank()) {
            throw new IllegalArgumentException("projectId must not be blank");
        }
        Objects.requireNonNull(credentials, "credentials");
        VendorEnv.checkOrigin(baseUrl);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1: " + maxConcurrency);
        }
        Checks.requirePositive(requestTimeout, "requestTimeout");
        Checks.requireNotNegative(rateLimitBackoff, "rateLimitBackoff");
    }

    private static FcmConfig defaults(String projectId, Credentials credentials) {
        return new FcmConfig(projectId, credentials, DEFAULT_BASE_URL, DEFAULT_MAX_CONCURRENCY,
                DEFAULT_TIMEOUT, DEFAULT_RATE_LIMIT_BACKOFF);
    }

    /** True when requests are redirected away from the real FCM endpoint. */
    public boolean redirected() {
        return !DEFAULT_BASE_URL.equals(baseUrl);
    }

    /**
     * Reads {@code IMPUSH_FCM_*}. Empty when neither {@value #CREDENTIALS_FILE} nor
     * {@value #ACCESS_TOKEN} is set (FCM disabled). {@value #PROJECT_ID} may be omitted with a
     * service-account file: its {@code project_id} is used.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<FcmConfig> fromEnv(Env env) {
        Optional<String> file = env.optional(CREDENTIALS_FILE);
        Optional<String> token = env.optional(ACCESS_TOKEN);
        if (file.isEmpty() && token.isEmpty()) {
            return Optional.empty();
        }
        if (file.isPresent() && token.isPresent()) {
            throw new ConfigException("set only one of " + CREDENTIALS_FILE + " and " + ACCESS_TOKEN
                    + " (" + ACCESS_TOKEN + " is for mocks and tests only)");
        }
        Credentials credentials;
        String projectId;
        if (file.isPresent()) {
            Path path = env.file(CREDENTIALS_FILE).orElseThrow();
            credentials = new ServiceAccountFile(path);
            projectId = env.optional(PROJECT_ID).orElseGet(() -> projectIdOf(path));
        } else {
            credentials = new StaticAccessToken(token.get());
            projectId = env.optional(PROJECT_ID).orElseThrow(() -> new ConfigException(
                    PROJECT_ID + " is required when " + ACCESS_TOKEN + " is set"));
        }
        URI baseUrl = VendorEnv.originUrl(env, BASE_URL, DEFAULT_BASE_URL);
        int maxConcurrency = env.integer(MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY, 1, 100_000);
        Duration timeout = env.millis(TIMEOUT_MS, DEFAULT_TIMEOUT.toMillis());
        if (timeout.isZero()) {
            throw new ConfigException(TIMEOUT_MS + "=0 must be positive (milliseconds)");
        }
        Duration backoff = env.millis(RATE_LIMIT_BACKOFF_MS, DEFAULT_RATE_LIMIT_BACKOFF.toMillis());
        return Optional.of(new FcmConfig(projectId, credentials, baseUrl, maxConcurrency, timeout, backoff));
    }

    private static String projectIdOf(Path serviceAccountJson) {
        try {
            var node = Json.mapper().readTree(serviceAccountJson.toFile()).path("project_id");
            if (node.isTextual() && !node.asText().isBlank()) {
                return node.asText();
            }
        } catch (IOException e) {
            throw new ConfigException(CREDENTIALS_FILE + "=" + serviceAccountJson
                    + " is not a service-account JSON file: " + e.getClass().getSimpleName());
        }
        throw new ConfigException(PROJECT_ID + " is required: " + CREDENTIALS_FILE + "="
                + serviceAccountJson + " has no project_id");
    }
}

package dev.impush.worker.channel.fcm;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.VendorSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach FCM HTTP v1 ({@code POST /v1/projects/{projectId}/messages:send}). Immutable; read
 * it with {@link #fromEnv}.
 *
 * @param projectId      the Firebase project id
 * @param credentials    a service account (production) or a static access token (mocks, tests)
 * @param settings       base URL ({@code https://fcm.googleapis.com}; a local URL points the channel
 *                       at a mock), timeout, backoff after {@code QUOTA_EXCEEDED} without
 *                       {@code Retry-After}, quota zone (UTC), requests in flight at once (256)
 */
public record FcmConfig(String projectId, Credentials credentials, VendorSettings settings) {

    public static final String PROJECT_ID = "IMPUSH_FCM_PROJECT_ID";
    public static final String CREDENTIALS_FILE = "IMPUSH_FCM_CREDENTIALS_FILE";
    public static final String ACCESS_TOKEN = "IMPUSH_FCM_ACCESS_TOKEN";
    public static final String PREFIX = "IMPUSH_FCM_";
    public static final String BASE_URL = "IMPUSH_FCM_BASE_URL";
    public static final String MAX_CONCURRENCY = "IMPUSH_FCM_MAX_CONCURRENCY";
    public static final String TIMEOUT_MS = "IMPUSH_FCM_TIMEOUT_MS";
    public static final String RATE_LIMIT_BACKOFF_MS = "IMPUSH_FCM_RATE_LIMIT_BACKOFF_MS";

    /** Over HTTP/2 requests share connections; the JDK client fails those beyond the stream limit (JDK-8225647). */
    public static final VendorSettings DEFAULT_SETTINGS = new VendorSettings(URI.create("https://fcm.googleapis.com"),
            VendorSettings.DEFAULT_TIMEOUT, VendorSettings.DEFAULT_RATE_LIMIT_BACKOFF, ZoneOffset.UTC, 256);

    /** What requests authenticate with: a {@link GoogleServiceAccount} or a {@link StaticAccessToken}. */
    public sealed interface Credentials permits GoogleServiceAccount, StaticAccessToken {}

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
        Objects.requireNonNull(settings, "settings");
    }

    /** {@code https://.../v1/projects/{projectId}/messages:send} on the base URL. */
    public URI sendUrl() {
        return settings.url("/v1/projects/" + projectId + "/messages:send");
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
        Optional<String> projectId = env.optional(PROJECT_ID);
        if (file.isPresent()) {
            Path path = env.file(CREDENTIALS_FILE).orElseThrow();
            GoogleServiceAccount account;
            try {
                account = GoogleServiceAccount.read(path);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CREDENTIALS_FILE + "=" + path + ": " + e.getMessage());
            }
            credentials = account;
            if (projectId.isEmpty() && !account.projectId().isBlank()) {
                projectId = Optional.of(account.projectId());
            }
        } else {
            credentials = new StaticAccessToken(token.get());
        }
        String project = projectId.orElseThrow(() -> new ConfigException(PROJECT_ID + " is required"
                + (file.isPresent() ? ": " + CREDENTIALS_FILE + " has no project_id" : " with " + ACCESS_TOKEN)));
        return Optional.of(new FcmConfig(project, credentials, VendorSettings.fromEnv(env, PREFIX, BASE_URL, DEFAULT_SETTINGS)));
    }
}

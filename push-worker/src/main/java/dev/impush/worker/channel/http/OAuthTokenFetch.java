package dev.impush.worker.channel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Fetches OAuth 2.0 access tokens: {@code POST tokenUrl} with a form (the grant), answer
 * {@code {access_token, expires_in}}. Two grants: client credentials (Huawei, Honor) and the JWT
 * bearer of RFC 7523 (Google service accounts, for FCM). Used as the fetch function of an
 * {@link AuthTokenCache}.
 *
 * <p>Contract: a 200 answer with a non-empty {@code access_token} is a token living
 * {@code expires_in} seconds (or {@code defaultExpiresInS} when that is missing or not positive).
 * Any other answer fails the future with a message that names {@code label}, the HTTP status and the
 * {@code error}/{@code sub_error}/{@code error_description} fields: for a 4xx answer (wrong id,
 * secret or key, which no resend cures) an {@link AuthCallRefused} whose outcome is
 * {@link SendOutcome.Rejected}, else (5xx, garbled answer) a transient failure. Thread-safe.
 */
public final class OAuthTokenFetch {
    private final VendorHttp http;
    private final URI tokenUrl;
    private final Supplier<Map<String, String>> grant;
    private final long defaultExpiresInS;
    private final String label;
    private final Clock clock;

    private OAuthTokenFetch(VendorHttp http, URI tokenUrl, Supplier<Map<String, String>> grant,
                            long defaultExpiresInS, String label, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.grant = grant;
        this.defaultExpiresInS = defaultExpiresInS;
        this.label = label;
        this.clock = clock;
    }

    /**
     * {@code grant_type=client_credentials, client_id, client_secret}.
     *
     * @param defaultExpiresInS the token lifetime assumed when the answer has no {@code expires_in}
     * @param label             how failures name the endpoint, e.g. {@code "huawei oauth"}
     */
    public static OAuthTokenFetch clientCredentials(VendorHttp http, URI tokenUrl, String clientId,
                                                    String clientSecret, long defaultExpiresInS, String label,
                                                    Clock clock) {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", clientSecret);
        return new OAuthTokenFetch(http, tokenUrl, () -> form, defaultExpiresInS, label, clock);
    }

    /** {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion}: a fresh signed JWT each call. */
    public static OAuthTokenFetch jwtBearer(VendorHttp http, URI tokenUrl, Supplier<String> assertion,
                                            long defaultExpiresInS, String label, Clock clock) {
        return new OAuthTokenFetch(http, tokenUrl, () -> Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion.get()),
                defaultExpiresInS, label, clock);
    }

    /** A new token; {@code appId} is ignored (one client per channel). */
    public CompletableFuture<AuthToken> fetch(String appId) {
        return http.postForm(tokenUrl, Map.of(), grant.get()).thenApply(r -> {
            JsonNode j = r.json();
            String token = j.path("access_token").asText("");
            if (r.status() == 200 && !token.isEmpty()) {
                long expiresIn = j.path("expires_in").asLong(defaultExpiresInS);
                return new AuthToken(token, clock.instant().plusSeconds(expiresIn > 0 ? expiresIn : defaultExpiresInS));
            }
            // e.g. {"error":1101,"sub_error":20158,"error_description":"invalid client secret"}
            String message = label + " HTTP " + r.status() + " error " + j.path("error").asText("?")
                    + (j.has("sub_error") ? "/" + j.path("sub_error").asText() : "")
                    + ": " + j.path("error_description").asText("");
            if (r.status() >= 400 && r.status() < 500) {
                throw new AuthCallRefused(new SendOutcome.Rejected(message));
            }
            throw new IllegalStateException(message);
        });
    }
}

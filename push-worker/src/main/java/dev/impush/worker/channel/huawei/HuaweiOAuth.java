package dev.impush.worker.channel.huawei;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.vendor.AuthToken;
import dev.impush.worker.channel.vendor.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches Huawei OAuth 2.0 access tokens with the client-credentials grant
 * ({@code POST oauth2/v3/token}, form {@code grant_type, client_id, client_secret}; answer
 * {@code {access_token, expires_in, token_type}}, 3600 s). Used as the fetch function of an
 * {@link dev.impush.worker.channel.vendor.AuthTokenCache}. Thread-safe.
 */
final class HuaweiOAuth {
    /** Huawei's documented token lifetime, used when the answer omits {@code expires_in}. */
    static final long DEFAULT_EXPIRES_IN_S = 3600;

    /**
     * The token endpoint refused or failed. {@code permanent} (a 4xx answer: wrong id or secret)
     * means resending cannot help; otherwise it is transient (5xx, garbled answer).
     */
    static final class AuthFailure extends RuntimeException {
        final boolean permanent;

        AuthFailure(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }
    }

    private final VendorHttp http;
    private final URI tokenUrl;
    private final String clientId;
    private final HuaweiConfig.Secret clientSecret;
    private final Clock clock;

    HuaweiOAuth(VendorHttp http, URI tokenUrl, String clientId, HuaweiConfig.Secret clientSecret, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    CompletableFuture<AuthToken> fetch(String appId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret.value());
        return http.postForm(tokenUrl, Map.of(), form).thenApply(r -> {
            JsonNode j = r.json();
            String token = j.path("access_token").asText("");
            if (r.status() == 200 && !token.isEmpty()) {
                long expiresIn = j.path("expires_in").asLong(DEFAULT_EXPIRES_IN_S);
                return new AuthToken(token, clock.instant().plusSeconds(expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S));
            }
            // e.g. {"error":1101,"sub_error":20158,"error_description":"invalid client secret"}
            String message = "huawei oauth HTTP " + r.status() + " error " + j.path("error").asText("?")
                    + (j.has("sub_error") ? "/" + j.path("sub_error").asText() : "")
                    + ": " + j.path("error_description").asText("");
            throw new AuthFailure(message, r.status() >= 400 && r.status() < 500);
        });
    }
}

package dev.impush.worker.channel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches OAuth 2.0 access tokens with the client-credentials grant: {@code POST tokenUrl}, form
 * {@code grant_type=client_credentials, client_id, client_secret}; answer
 * {@code {access_token, expires_in}}. Used as the fetch function of an {@link AuthTokenCache}.
 *
 * <p>Contract: a 200 answer with a non-empty {@code access_token} is a token living
 * {@code expires_in} seconds (or {@code defaultExpiresInS} when that is missing or not positive).
 * Any other answer fails the future with a message that names {@code label}, the HTTP status and the
 * {@code error}/{@code sub_error}/{@code error_description} fields: for a 4xx answer (wrong id or
 * secret, which no resend cures) an {@link AuthCallRefused} whose outcome is
 * {@link SendOutcome.Rejected}, else (5xx, garbled answer) a transient failure. Thread-safe.
 */
public final class ClientCredentialsTokenFetch {
    private final VendorHttp http;
    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final long defaultExpiresInS;
    private final String label;
    private final Clock clock;

    /**
     * @param defaultExpiresInS the token lifetime assumed when the answer has no {@code expires_in}
     * @param label             how failures name the endpoint, e.g. {@code "huawei oauth"}
     */
    public ClientCredentialsTokenFetch(VendorHttp http, URI tokenUrl, String clientId, String clientSecret,
                                       long defaultExpiresInS, String label, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.defaultExpiresInS = defaultExpiresInS;
        this.label = label;
        this.clock = clock;
    }

    /** A new token; {@code appId} is ignored (one client per channel). */
    public CompletableFuture<AuthToken> fetch(String appId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return http.postForm(tokenUrl, Map.of(), form).thenApply(r -> {
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

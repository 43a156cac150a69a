package dev.impush.worker.channel.http;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.impush.worker.channel.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The current auth token of each vendor app, fetched by one caller while the others wait for the
 * same future (vendors rate-limit their auth endpoints: vivo allows 10 calls/s per app). A token is
 * renewed ahead: from {@link #REFRESH_AHEAD} before it is dropped, the first send that uses it starts
 * one background fetch (Caffeine's refresh, one per app at a time) and keeps sending with the
 * current token meanwhile, so no send waits for a fetch at the expiry. It is dropped
 * {@code refreshMargin} before the vendor's expiry, so no send carries a token about to die.
 * {@link #invalidate} after an auth-expired answer drops only the token that failed, so many
 * concurrent failures cause one refresh. Thread-safe.
 */
public final class AuthTokenCache {
    /** How long before a token is dropped its replacement is fetched. */
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(1);
    private final AsyncLoadingCache<String, AuthToken> cache;
    private final Clock clock;
    private final Duration refreshMargin;

    /**
     * @param fetch         asks the vendor for a new token for the app id (a failed future = no token)
     * @param refreshMargin how long before the vendor's expiry a token is replaced
     */
    public AuthTokenCache(Function<String, CompletableFuture<AuthToken>> fetch, Duration refreshMargin, Clock clock) {
        this.clock = clock;
        this.refreshMargin = refreshMargin;
        this.cache = Caffeine.newBuilder()
                .ticker(clockTicker(clock))
                .expireAfter(Expiry.<String, AuthToken>writing((app, token) -> lifetime(token)))
                .buildAsync((app, executor) -> fetch.apply(app));
    }

    /**
     * The app's token: the cached one, or the one being fetched (a failed fetch is not cached). A
     * cached token close to being dropped starts the fetch of its replacement.
     */
    public CompletableFuture<AuthToken> token(String appId) {
        return cache.get(appId).thenApply(token -> {
            if (lifetime(token).compareTo(REFRESH_AHEAD) <= 0) {
                cache.synchronous().refresh(appId); // in flight at most once per app; a failure keeps this token
            }
            return token;
        });
    }

    /**
     * Sends with the app's token: {@code send} gets the token and does the vendor call; when its
     * outcome is {@link SendOutcome.AuthExpired} that token is {@linkplain #invalidate invalidated},
     * so the caller's single resend fetches a fresh one. A failed token fetch fails the result.
     */
    public CompletableFuture<SendOutcome> sendWith(String appId,
                                                   Function<AuthToken, CompletableFuture<SendOutcome>> send) {
        return token(appId).thenCompose(auth -> send.apply(auth).thenApply(outcome -> {
            if (outcome instanceof SendOutcome.AuthExpired) {
                invalidate(appId, auth);
            }
            return outcome;
        }));
    }

    /** Forgets {@code failed} if it is still the app's token, so the next call fetches a new one. */
    public void invalidate(String appId, AuthToken failed) {
        cache.synchronous().asMap().remove(appId, failed);
    }

    private Duration lifetime(AuthToken token) {
        Duration d = Duration.between(clock.instant(), token.expiresAt()).minus(refreshMargin);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Ticker clockTicker(Clock clock) {
        return () -> clock.millis() * 1_000_000L;
    }
}

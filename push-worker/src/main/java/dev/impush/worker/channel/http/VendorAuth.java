package dev.impush.worker.channel.http;

import dev.impush.worker.channel.SendOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** How a vendor's requests are authenticated. */
public interface VendorAuth {
    /**
     * Runs {@code call} with the current token ({@code null} when the vendor has none). When the vendor
     * refused the auth call itself ({@link AuthCallRefused}), its outcome is the send's.
     */
    CompletableFuture<SendOutcome> send(Function<AuthToken, CompletableFuture<SendOutcome>> call);

    /** The request carries its credentials itself (a static key, a signature). */
    VendorAuth NONE = call -> call.apply(null);

    /** Always {@code token}, never refreshed. */
    static VendorAuth fixed(AuthToken token) {
        return call -> call.apply(token);
    }

    /**
     * A token per app from {@code cache}; one the vendor called expired is dropped, so the caller's
     * single resend fetches a fresh one.
     */
    static VendorAuth tokens(AuthTokenCache cache, String appId) {
        return call -> cache.sendWith(appId, call).exceptionally(AuthCallRefused::outcomeOf);
    }
}

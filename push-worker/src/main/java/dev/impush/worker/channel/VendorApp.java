package dev.impush.worker.channel;

import dev.impush.model.Channel;
import java.util.Objects;
import java.util.Optional;

/**
 * One vendor's credentials in a deployment: the shared ones, for every app the apps file does not
 * list, or those of one app it lists. A channel, its circuit breaker, its retry and its quota are per
 * vendor app, as vendors count quotas and throttle per app.
 *
 * @param channel the vendor
 * @param app     the app ({@code PushTarget.appId}) the credentials are for; empty = shared
 */
public record VendorApp(Channel channel, Optional<String> app) {
    public VendorApp {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(app, "app");
    }

    /** The vendor's shared credentials (the top-level {@code IMPUSH_<VENDOR>_*} settings). */
    public static VendorApp shared(Channel channel) {
        return new VendorApp(channel, Optional.empty());
    }

    /** The credentials the apps file gives {@code app} for {@code channel}. */
    public static VendorApp of(Channel channel, String app) {
        return new VendorApp(channel, Optional.of(app));
    }

    /**
     * {@code apns}, or {@code apns/com.example.lite}: the name of its breaker and retry (the
     * {@code name} tag of their metrics), of its Redis quota keys, and in logs.
     */
    public String name() {
        return app.map(a -> channel.wireName() + "/" + a).orElse(channel.wireName());
    }

    @Override
    public String toString() {
        return name();
    }
}

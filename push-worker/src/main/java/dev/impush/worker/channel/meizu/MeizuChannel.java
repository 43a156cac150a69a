package dev.impush.worker.channel.meizu;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorHttp;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meizu (Flyme) push: one signed form post to {@code pushByPushId} per push id (notification, or
 * the pass-through endpoint for a silent push). Each request is signed with the app secret (MD5,
 * {@link MeizuSign}); there is no token to fetch or refresh, so this channel never answers
 * {@link SendOutcome.AuthExpired}: a bad signature (1006) is {@link SendOutcome.Rejected}.
 *
 * <p>{@link MeizuResponses} maps the answer; retries are the worker's.
 */
public final class MeizuChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(MeizuChannel.class);

    private final MeizuConfig config;
    private final Clock clock;
    private final MeizuPayload payload;
    private final MeizuResponses responses;

    private MeizuChannel(MeizuConfig config, Clock clock) {
        super(Channel.MEIZU, "Meizu", config.settings());
        this.config = config;
        this.clock = clock;
        this.payload = new MeizuPayload(config, clock);
        this.responses = new MeizuResponses(config);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static MeizuChannel create(MeizuConfig config, Clock clock) {
        log.info("Meizu channel for app {} via {} (noticeMsgType {})", config.appId(), config.settings().baseUrl(),
                config.noticeMsgType());
        return new MeizuChannel(config, clock);
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        MeizuPayload.Request request = payload.render(delivery);
        return Prepared.post(VendorHttp.Request.form(config.settings().url(request.path()), Map.of(),
                request.form()));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return responses.map(r.status(), r.json(), delivery.target().token(), clock.instant());
    }
}

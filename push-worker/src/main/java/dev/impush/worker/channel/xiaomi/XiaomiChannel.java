package dev.impush.worker.channel.xiaomi;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.receipt.ReceiptSettings;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Xiaomi MiPush: one form post to {@code /v3/message/regid} per device token, authenticated with the
 * static {@code Authorization: key=<AppSecret>} header (no token to fetch or refresh, so this channel
 * never answers {@link SendOutcome.AuthExpired}; a refused secret is {@link SendOutcome.Rejected}).
 *
 * <p>The answer is mapped by {@link XiaomiResponses}; retries are the worker's.
 */
public final class XiaomiChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(XiaomiChannel.class);
    static final String SEND_PATH = "/v3/message/regid";

    private final Clock clock;
    private final URI sendUri;
    private final Map<String, String> headers;
    private final XiaomiPayload payload;
    private final XiaomiResponses responses;

    private XiaomiChannel(XiaomiConfig config, Clock clock, ReceiptSettings receipts) {
        super(Channel.XIAOMI, "Xiaomi", config.settings());
        this.clock = clock;
        this.sendUri = config.settings().url(SEND_PATH);
        this.headers = Map.of("Authorization", "key=" + config.appSecret());
        this.payload = new XiaomiPayload(config, clock, receipts);
        this.responses = new XiaomiResponses(config);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static XiaomiChannel create(XiaomiConfig config, Clock clock) {
        return create(config, clock, null);
    }

    /** Builds the channel; its pushes ask for delivery and click receipts when {@code receipts} is not null. */
    public static XiaomiChannel create(XiaomiConfig config, Clock clock, ReceiptSettings receipts) {
        log.info("Xiaomi channel via {} (channel_id {}, {} per-app overrides)", config.settings().baseUrl(),
                config.channelId(), config.channelIdByPackage().size());
        return new XiaomiChannel(config, clock, receipts);
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        return Prepared.post(VendorHttp.Request.form(sendUri, headers, payload.render(delivery)));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return responses.map(r.status(), r.json(), delivery.target().token(), clock.instant());
    }
}

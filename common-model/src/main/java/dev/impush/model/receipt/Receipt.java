package dev.impush.model.receipt;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import java.time.Instant;
import java.util.List;

/**
 * A vendor's word that a push reached the phone ({@code delivered}) or was tapped ({@code clicked}), on
 * {@code push.receipts}, key = {@link #userId()} (the delivery digest when the user is not known). APNs
 * and FCM send none; of the China vendors, those whose receipts impush asks for (see the README).
 *
 * @param userId    the push's user, device and message: {@code null} when the worker no longer knows
 *                  them (the receipt came after {@code IMPUSH_RECEIPTS_TTL_S})
 * @param delivery  the digest of user, message and device that the push carried (always present)
 * @param sentAt    when the worker sent the push (to the second)
 * @param at        when the vendor says it happened (when it says; else when the receipt arrived)
 * @param receivedAt when the receipt reached impush
 */
public record Receipt(int v, String type, Channel channel, Event event, String userId, String messageId,
                      String deviceId, String delivery, Instant sentAt, Instant at, Instant receivedAt)
        implements Contract {
    public static final String TYPE = "receipt";

    public enum Event {
        @JsonProperty("delivered") DELIVERED,
        @JsonProperty("clicked") CLICKED
    }

    public static Receipt of(Channel channel, Event event, String userId, String messageId, String deviceId,
                             String delivery, Instant sentAt, Instant at, Instant receivedAt) {
        return new Receipt(VERSION, TYPE, channel, event, userId, messageId, deviceId, delivery, sentAt, at, receivedAt);
    }

    @Override
    public List<String> violations() {
        return new Violations().check(TYPE.equals(type), "type must be '" + TYPE + "'").required("channel", channel)
                .required("event", event).maxLength("userId", userId, ImEvent.MAX_ID_LENGTH)
                .maxLength("messageId", messageId, ImEvent.MAX_ID_LENGTH)
                .maxLength("deviceId", deviceId, ImEvent.MAX_ID_LENGTH).required("delivery", delivery)
                .maxLength("delivery", delivery, 64).required("sentAt", sentAt).time("sentAt", sentAt)
                .required("at", at).time("at", at).required("receivedAt", receivedAt).time("receivedAt", receivedAt)
                .messages();
    }
}

package dev.impush.model.event;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * The sender recalled (撤回) message {@link #messageId()}, which went to {@link #userId()}: its text must
 * leave the user's lock screens. A push that has not gone out yet is cancelled (never shown); a
 * delivered notification is replaced, on every device that got it, by one that says the message was
 * recalled. The platform sends one per recipient, as it sends the message.
 *
 * @param sentAt     the recalled message's {@code sentAt}, and
 * @param ttlSeconds its {@code ttlSeconds} (0 when it set none): together they tell when its push
 *                   expired, which is where the worker finds whether it was sent
 */
public record RecallEvent(int v, String userId, String messageId, String conversationId, Instant sentAt,
                          long ttlSeconds, Instant at) implements ImEvent {

    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("messageId", messageId).maxLength("messageId", messageId, MAX_ID_LENGTH)
                .required("conversationId", conversationId).maxLength("conversationId", conversationId, MAX_ID_LENGTH)
                .required("sentAt", sentAt).time("sentAt", sentAt)
                .range("ttlSeconds", ttlSeconds, 0, MessageEvent.MAX_TTL_SECONDS)
                .required("at", at).time("at", at).messages();
    }
}

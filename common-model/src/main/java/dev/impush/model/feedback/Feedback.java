package dev.impush.model.feedback;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.impush.model.Contract;

/** What the worker learned that the detector must know, on {@code push.feedback} (key = user id). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes(@JsonSubTypes.Type(value = InvalidTokenFeedback.class, name = "invalid-token"))
public sealed interface Feedback extends Contract permits InvalidTokenFeedback {
    String userId();
}

package dev.impush.model.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.impush.model.Contract;

/**
 * An event of the IM platform on {@code im.events}, keyed by {@link #userId()}. The JSON
 * discriminator is {@code type}; see {@code schemas/im-event.schema.json}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MessageEvent.class, name = "message"),
    @JsonSubTypes.Type(value = RoutedEvent.class, name = "routed"),
    @JsonSubTypes.Type(value = AckedEvent.class, name = "acked"),
    @JsonSubTypes.Type(value = PresenceEvent.class, name = "presence"),
    @JsonSubTypes.Type(value = DeviceEvent.class, name = "device"),
    @JsonSubTypes.Type(value = MuteEvent.class, name = "mute"),
    @JsonSubTypes.Type(value = TagsEvent.class, name = "tags"),
    @JsonSubTypes.Type(value = ReadEvent.class, name = "read"),
    @JsonSubTypes.Type(value = PreferencesEvent.class, name = "preferences"),
    @JsonSubTypes.Type(value = CallEvent.class, name = "call"),
    @JsonSubTypes.Type(value = RecallEvent.class, name = "recall"),
})
public sealed interface ImEvent extends Contract
        permits MessageEvent, RoutedEvent, AckedEvent, PresenceEvent, DeviceEvent, MuteEvent,
                TagsEvent, ReadEvent, PreferencesEvent, CallEvent, RecallEvent {

    /** Longest id (user, device, message, conversation, gateway) the contract accepts. */
    int MAX_ID_LENGTH = 256;

    /** The user the event is about: the Kafka key, so all of one user's events share a partition. */
    String userId();
}

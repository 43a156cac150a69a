package dev.impush.model.broadcast;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.impush.model.Contract;

/**
 * A command on {@code im.broadcasts}, keyed by {@link #broadcastId()}: start a broadcast or cancel one.
 * The JSON discriminator is {@code type}; see {@code schemas/broadcast.schema.json}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Broadcast.class, name = "broadcast"),
    @JsonSubTypes.Type(value = BroadcastCancel.class, name = "broadcast-cancel"),
})
public sealed interface BroadcastCommand extends Contract permits Broadcast, BroadcastCancel {
    /** Longest broadcast id accepted. */
    int MAX_ID_LENGTH = 128;

    /** The broadcast: the Kafka key, and what makes a second copy of a broadcast harmless. */
    String broadcastId();
}

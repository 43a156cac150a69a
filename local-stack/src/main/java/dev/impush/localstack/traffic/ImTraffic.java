package dev.impush.localstack.traffic;

import dev.impush.client.ImpushClient;
import dev.impush.localstack.kafka.KafkaFixture;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.event.RecallEvent;
import dev.impush.model.event.RoutedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces IM platform traffic the way the platform would, through impush's own client library
 * ({@link ImpushClient}: every event checked against the schemas and keyed as impush needs): device
 * registrations, presence, gateway heartbeats and chat messages on {@code im.events}, plus
 * deliberately broken records (raw bytes, past the client). {@link #flush()} waits for them all.
 */
public final class ImTraffic implements AutoCloseable {
    public static final String SENDER_ID = "u-sender";

    private final ImpushClient client;
    private final Map<String, Object> props;
    private final String eventsTopic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    /** For records the client would refuse (malformed input); opened on first use. */
    private KafkaProducer<byte[], byte[]> raw;
    private long events;

    public ImTraffic(String bootstrap, String eventsTopic, String gatewaysTopic) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), eventsTopic, gatewaysTopic);
    }

    /** Traffic on the cluster {@code kafka} (with the security settings it needs). */
    public ImTraffic(KafkaFixture kafka, String eventsTopic, String gatewaysTopic) {
        this(kafka.clientProperties(Map.of()), eventsTopic, gatewaysTopic);
    }

    /** Traffic through a producer with {@code client}'s properties (bootstrap, security, a partitioner...). */
    public ImTraffic(Map<String, Object> producerProps, String eventsTopic, String gatewaysTopic) {
        this.props = Map.copyOf(producerProps);
        Map<String, Object> settings = new HashMap<>(producerProps);
        String bootstrap = (String) settings.remove(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        this.client = ImpushClient.builder(bootstrap).properties(settings).eventsTopic(eventsTopic)
                .gatewaysTopic(gatewaysTopic).build();
        this.eventsTopic = eventsTopic;
    }

    /** Registers every device, connects the online ones to {@code gatewayId}, and heartbeats it. */
    public void connect(Population population, String gatewayId, Instant at) {
        pending.add(this.client.send(GatewayLease.of(gatewayId, 3600, at)));
        events++;
        for (Population.Device d : population.devices()) {
            send(new DeviceEvent(Contract.VERSION, DeviceEvent.Action.REGISTER, d.userId(),
                    d.deviceId(), d.channel(), d.token(), d.appId(), false, "en-US", true, at));
            send(new PresenceEvent(Contract.VERSION, d.userId(), d.deviceId(),
                    d.online() ? PresenceEvent.State.ONLINE : PresenceEvent.State.OFFLINE,
                    d.online() ? gatewayId : null, at));
        }
        flush();
    }

    /** A message of {@code senderName} in the group {@code conversationId} for {@code userId}; returns its id. */
    public String groupMessage(String userId, String conversationId, String messageId, String senderName,
                               String preview, boolean mentioned, Instant sentAt) {
        return message(new MessageEvent(Contract.VERSION, messageId, userId, conversationId,
                MessageEvent.ConversationType.GROUP, "id-" + senderName, senderName, preview, mentioned, null, sentAt,
                3600, Priority.HIGH, false));
    }

    /** {@code m} as the IM server sees it: the event, then {@code routed} and {@code acked} per online device. */
    public String message(Population population, MessageEvent m) {
        message(m);
        deliverOnline(population, m.userId(), m.messageId(), m.sentAt());
        return m.messageId();
    }

    /** {@code m} as it is; returns its id. */
    public String message(MessageEvent m) {
        send(m);
        return m.messageId();
    }

    /** A device registration or unregistration as it is. */
    public void device(DeviceEvent e) {
        send(e);
    }

    /** A call invite or cancel. */
    public void call(CallEvent e) {
        send(e);
    }

    /** A recall of a message the user got. */
    public void recall(RecallEvent e) {
        send(e);
    }

    /** The user's notification preferences. */
    public void preferences(PreferencesEvent e) {
        send(e);
    }

    /** A read as it is (with the device it happened on). */
    public void read(ReadEvent e) {
        send(e);
    }

    /** The user read {@code conversationId} up to {@code readUpTo} ({@code unread}: what stays unread, or null). */
    public void read(String userId, String conversationId, Instant readUpTo, Integer unread, Instant at) {
        send(new ReadEvent(Contract.VERSION, userId, conversationId, readUpTo, unread, at));
    }

    /** A chat message for {@code userId}; returns its id. */
    public String message(String userId, String messageId, String preview, Instant sentAt) {
        send(new MessageEvent(Contract.VERSION, messageId, userId, "c-" + userId,
                MessageEvent.ConversationType.DIRECT, SENDER_ID, "Alice", preview, false, 1, sentAt, 3600,
                Priority.HIGH, false));
        return messageId;
    }

    /**
     * A chat message as the IM server sees it: the message event, then, for each of the user's
     * online devices, {@code routed} and {@code acked} (the long connection delivered it).
     */
    public String message(Population population, String userId, String messageId, String preview, Instant sentAt) {
        message(userId, messageId, preview, sentAt);
        deliverOnline(population, userId, messageId, sentAt);
        return messageId;
    }

    /** A group message as the IM server sees it: the event, then {@code routed} and {@code acked} per online device. */
    public String groupMessage(Population population, String userId, String conversationId, String messageId,
                               String senderName, String preview, boolean mentioned, Instant sentAt) {
        groupMessage(userId, conversationId, messageId, senderName, preview, mentioned, sentAt);
        deliverOnline(population, userId, messageId, sentAt);
        return messageId;
    }

    private void deliverOnline(Population population, String userId, String messageId, Instant sentAt) {
        for (Population.Device d : population.devicesOf(userId)) {
            if (d.online()) {
                send(new RoutedEvent(Contract.VERSION, messageId, userId, d.deviceId(), sentAt));
                send(new AckedEvent(Contract.VERSION, messageId, userId, d.deviceId(), sentAt));
            }
        }
    }

    /**
     * The IM server handed {@code messageId} to {@code deviceId}'s long connection at {@code at}, which
     * is also the record's timestamp (its CreateTime), as a gateway that stamps its records sets it.
     * Not waited for (see {@link #flush()}); blocks while the broker's metadata is unknown.
     */
    public void routed(String userId, String messageId, String deviceId, Instant at) {
        send(new RoutedEvent(Contract.VERSION, messageId, userId, deviceId, at), at);
    }

    /** The app on {@code deviceId} acked {@code messageId} at {@code at} (the record's timestamp too), as {@link #routed}. */
    public void acked(String userId, String messageId, String deviceId, Instant at) {
        send(new AckedEvent(Contract.VERSION, messageId, userId, deviceId, at), at);
    }

    /** Raw bytes on the events topic: for malformed input. */
    public void raw(String key, byte[] value) {
        if (raw == null) {
            raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        pending.add(raw.send(new ProducerRecord<>(eventsTopic, key.getBytes(StandardCharsets.UTF_8), value)));
        events++;
    }

    /** Broken records of every kind the contract must survive; returns how many. */
    public int malformed(String key) {
        List<String> bad = List.of(
                "{\"v\":1,\"type\":\"message\",\"messageId\":",
                "not json at all",
                "{\"v\":1,\"type\":\"teleport\",\"userId\":\"" + key + "\"}",
                "{\"v\":9,\"type\":\"presence\",\"userId\":\"" + key + "\",\"deviceId\":\"x\",\"state\":\"online\",\"gatewayId\":\"g\",\"at\":\"2026-11-25T08:00:00Z\"}",
                "{\"v\":1,\"type\":\"routed\",\"userId\":\"" + key + "\"}");
        bad.forEach(s -> raw(key, s.getBytes(StandardCharsets.UTF_8)));
        raw(key, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        return bad.size() + 1;
    }

    private void send(ImEvent event) {
        pending.add(client.send(event));
        events++;
    }

    private void send(ImEvent event, Instant timestamp) {
        pending.add(client.send(event, timestamp));
        events++;
    }

    /** Waits until everything sent so far is acknowledged. */
    public void flush() {
        client.flush();
        if (raw != null) {
            raw.flush();
        }
        for (Future<RecordMetadata> f : pending) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("traffic was not acknowledged", e);
            }
        }
        pending.clear();
    }

    /** Events produced so far (all topics). */
    public long events() {
        return events;
    }

    @Override
    public void close() {
        flush();
        client.close();
        if (raw != null) {
            raw.close();
        }
    }
}

package dev.impush.detector.broadcast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.model.Contract;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Writes one broadcast's push jobs ({@link PushJob}'s JSON, as the worker reads it), the parts every
 * job of the broadcast shares (its notification, its expiry) written once: serializing each job whole
 * was half of what a fan-out step cost. {@code BroadcastJobWriterTest} holds it to the contract.
 */
final class BroadcastJobWriter {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private final String broadcastId;
    private final String jobIdPrefix;
    private final String notification;
    private final String expiresAt;

    BroadcastJobWriter(String broadcastId, Notification notification, Instant expiresAt) {
        this.broadcastId = broadcastId;
        this.jobIdPrefix = BroadcastJobs.jobId(broadcastId, "");
        this.notification = new String(Json.write(notification), StandardCharsets.UTF_8);
        this.expiresAt = expiresAt.toString();
    }

    /**
     * The job of {@code userId} for {@code devices} (at most 64: one job), made at {@code createdAt}
     * (an ISO-8601 instant, the same for a whole step).
     */
    byte[] write(String userId, List<RegisteredDevice> devices, String createdAt) {
        ByteArrayBuilder out = new ByteArrayBuilder(notification.length() + 256 + 192 * devices.size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", Contract.VERSION);
            g.writeStringField("type", PushJob.TYPE);
            g.writeStringField("jobId", jobIdPrefix + userId);
            g.writeStringField("messageId", broadcastId);
            g.writeStringField("userId", userId);
            g.writeFieldName("notification");
            g.writeRawValue(notification);
            g.writeArrayFieldStart("targets");
            for (RegisteredDevice d : devices) {
                g.writeStartObject();
                g.writeStringField("deviceId", d.deviceId());
                g.writeStringField("channel", d.channel().wireName());
                g.writeStringField("token", d.token());
                g.writeStringField("appId", d.appId());
                g.writeBooleanField("sandbox", d.sandbox());
                if (d.registeredAt() != null) {
                    g.writeStringField("registeredAt", d.registeredAt().toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("createdAt", createdAt);
            g.writeStringField("expiresAt", expiresAt);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}

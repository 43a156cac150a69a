package dev.impush.detector.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.detector.state.RegisteredDevice;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.Priority;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the writer makes is, field for field, the job the contract describes, as the worker decodes it. */
class BroadcastJobWriterTest {
    private static final Instant NOW = Instant.parse("2026-12-04T08:00:00.123456789Z");

    @Test
    void writtenJob_decodesToTheJobItDescribes() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("route", "app://notice/\"42\"");
        data.put("emoji", "\uD83D\uDE00 \u4F60\u597D");
        Notification n = new Notification("Notice \"Ω\"", "line 1\nline 2", null, "default", "b-1", null,
                Priority.NORMAL, false, data);
        Instant expires = Instant.parse("2026-12-05T08:00:00Z");
        List<RegisteredDevice> devices = List.of(
                new RegisteredDevice("d1", Channel.APNS, "a".repeat(64), "com.example", true, "en", true,
                        Instant.parse("2026-11-01T00:00:00.5Z")),
                new RegisteredDevice("d2", Channel.HUAWEI, "tok\\en", "com.example", false, null, false, null));

        byte[] written = new BroadcastJobWriter("b-1", n, expires).write("u/42", devices, NOW.toString());

        Decoded<PushJob> decoded = ContractCodec.jobs(Integer.MAX_VALUE).decode(written);
        PushJob expected = new PushJob(Contract.VERSION, PushJob.TYPE, "broadcast/b-1/u/42", "b-1", "u/42", null, n,
                devices.stream().map(RegisteredDevice::toTarget).toList(), NOW, expires, null);
        assertEquals(new Decoded.Ok<>(expected), decoded);
    }
}

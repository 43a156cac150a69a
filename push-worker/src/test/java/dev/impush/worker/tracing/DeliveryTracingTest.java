package dev.impush.worker.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A job record's trace context becomes the vendor request's, and the trace id of the log lines about it. */
class DeliveryTracingTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static Delivery delivery(RecordHeaders headers) {
        Instant now = Instant.now();
        PushJob job = PushJob.of("m1", "u1", "c1", new Notification("t", "b", null, null, "m1", "c1", Priority.HIGH, false,
                Map.of()), List.of(new PushTarget("d1", Channel.XIAOMI, "tok", "app", false)), now, now.plusSeconds(60));
        return new Delivery(job, job.targets().getFirst(), Lane.CHAT, DeliveryTracing.extract(headers));
    }

    @Test
    void theJobsTraceGoesOnTheVendorRequest_andOnItsLogLines() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        Delivery d = delivery(headers);
        Span span = DeliveryTracing.startSend(d, "xiaomi");
        String sent = DeliveryTracing.headers(span).get("traceparent");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", sent.split("-")[1], sent);
        DeliveryTracing.end(span, "Delivered", null);
        try (DeliveryTracing.LogScope ignored = DeliveryTracing.logged(d)) {
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", MDC.get(DeliveryTracing.MDC_KEY));
        }
        assertNull(MDC.get(DeliveryTracing.MDC_KEY), "removed after the log line");
    }

    @Test
    void aJobWithoutATrace_sendsNoneAndLogsNone() {
        Delivery d = delivery(new RecordHeaders());
        assertEquals(Map.of(), DeliveryTracing.headers(DeliveryTracing.startSend(d, "xiaomi")));
        try (DeliveryTracing.LogScope ignored = DeliveryTracing.logged(d)) {
            assertNull(MDC.get(DeliveryTracing.MDC_KEY));
        }
    }
}

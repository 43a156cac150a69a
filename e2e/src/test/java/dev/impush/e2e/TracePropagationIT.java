package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.client.ImEvents;
import dev.impush.client.ImpushClient;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One message followed end to end: the W3C trace context the IM platform's span put on the
 * {@code message} event (through the client library) is on the vendor request of the push it causes,
 * through the detector's job record, the worker, and a retry after the vendor failed once. No
 * OpenTelemetry SDK runs here: the API alone carries the context.
 */
@Timeout(180)
class TracePropagationIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static LocalPipeline pipeline;
    private static ImpushClient impush;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("trace-worker");
        impush = ImpushClient.builder(pipeline.bootstrapServers()).build();
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (impush != null) {
            impush.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static MockVendorServer xiaomi() {
        return pipeline.vendors().china(Channel.XIAOMI);
    }

    private static void offlinePhone(String user) {
        Population p = new Population(List.of(new Population.Device(user, user + "-mi", Channel.XIAOMI,
                "mi-" + user, MockVendors.ANDROID_APP, false, true)));
        Instant at = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(p, at);
        traffic.connect(p, "gw-trace", at);
    }

    private static void awaitPush(String user, String messageId, int requests) throws InterruptedException {
        Await.until(SETTLED, () -> pipeline.ledger(Channel.XIAOMI).requests(messageId, user + "-mi") >= 1
                        && xiaomi().traceparents().size() >= requests,
                () -> "Xiaomi requests with a trace: " + xiaomi().traceparents());
    }

    @Test
    void theEventsTraceReachesTheVendorRequest_alsoAfterARetry() throws Exception {
        offlinePhone("trace-u1");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        SpanContext platform = SpanContext.createFromRemoteParent(traceId, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());
        int before = xiaomi().traceparents().size();
        xiaomi().failNext(1, new MockVendorServer.Reply(503, "{\"code\":503}", java.util.Map.of()));
        try (Scope ignored = Context.root().with(Span.wrap(platform)).makeCurrent()) {
            impush.send(ImEvents.message("trace-m1", "trace-u1").conversation("dm-trace").sender("u7", "Alice")
                    .preview("traced").build()).get();
        }
        awaitPush("trace-u1", "trace-m1", before + 2);

        List<String> seen = xiaomi().traceparents().subList(before, xiaomi().traceparents().size());
        assertEquals(2, seen.size(), "the failed request and its retry: " + seen);
        for (String traceparent : seen) {
            String[] parts = traceparent.split("-");
            assertEquals(4, parts.length, traceparent);
            assertEquals(traceId, parts[1], "the platform's trace id on the vendor request");
        }
    }

    @Test
    void anEventWithoutATrace_sendsNone() throws Exception {
        offlinePhone("trace-u2");
        int traced = xiaomi().traceparents().size();
        impush.send(ImEvents.message("trace-m2", "trace-u2").conversation("dm-trace2").preview("plain").build()).get();
        Await.until(SETTLED, () -> pipeline.ledger(Channel.XIAOMI).requests("trace-m2", "trace-u2-mi") == 1,
                () -> "no push");
        assertTrue(xiaomi().traceparents().size() == traced, "a request carried a trace nobody started");
    }
}

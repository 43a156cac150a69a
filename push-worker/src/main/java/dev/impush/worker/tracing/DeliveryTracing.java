package dev.impush.worker.tracing;

import dev.impush.worker.channel.Delivery;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * One message followed end to end: the W3C trace context that came with its IM event (the job
 * record's {@code traceparent}) is the parent of a span per vendor request, and that span's context
 * goes to the vendor as the request's {@code traceparent}. Spans are OpenTelemetry API spans: no-op
 * unless an SDK is registered (the OpenTelemetry Java agent), in which case the no-op span still
 * carries the event's context, so the trace id reaches the vendor request and the log lines anyway.
 */
public final class DeliveryTracing {
    /** The MDC key of the trace id on a worker's log lines about a delivery. */
    public static final String MDC_KEY = "trace_id";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Headers> KAFKA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return StreamSupport.stream(carrier.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers carrier, String key) {
            Header h = carrier == null ? null : carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private DeliveryTracing() {}

    /** The trace context a job record carries; {@link Context#root()} when it has none. */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, KAFKA);
    }

    /** A client span for {@code delivery}'s request to {@code vendor}, child of the event's context. */
    public static Span startSend(Delivery delivery, String vendor) {
        return GlobalOpenTelemetry.getTracer("dev.impush.worker").spanBuilder(vendor + " send")
                .setParent(delivery.trace()).setSpanKind(SpanKind.CLIENT)
                .setAttribute("messaging.message.id", delivery.messageId())
                .setAttribute("impush.channel", vendor).startSpan();
    }

    /** The request headers that carry {@code span}'s context to the vendor (none without a trace). */
    public static Map<String, String> headers(Span span) {
        Map<String, String> out = new HashMap<>(2);
        W3C.inject(Context.root().with(span), out, Map::put);
        return out;
    }

    /** Ends {@code span} with the send's outcome. */
    public static void end(Span span, String outcome, Throwable failure) {
        span.setAttribute("impush.outcome", outcome);
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Sets {@link #MDC_KEY} to the delivery's trace id until closed (nothing without one): for log lines about it. */
    public static LogScope logged(Delivery delivery) {
        SpanContext c = Span.fromContext(delivery.trace()).getSpanContext();
        if (!c.isValid()) {
            return () -> {};
        }
        MDC.put(MDC_KEY, c.getTraceId());
        return () -> MDC.remove(MDC_KEY);
    }

    /** A log scope that closes without exceptions. */
    @FunctionalInterface
    public interface LogScope extends AutoCloseable {
        @Override
        void close();
    }
}

package dev.impush.worker.channel.http;

import dev.impush.model.Lane;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Asynchronous JSON and form posts for the vendor channels, over one {@link HttpClient} (HTTP/2
 * where the vendor speaks it), optionally at most {@code maxInFlight} at a time (the rest wait in
 * order, holding no thread). A response is always returned as it came; transport failures fail the
 * future (the dispatcher maps them to Retry). Thread-safe.
 */
public final class VendorHttp implements AutoCloseable {
    private final HttpClient client;
    private final Duration timeout;
    private final InFlightLimit limit;

    private VendorHttp(Duration connectTimeout, Duration requestTimeout, int maxInFlight) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
        this.timeout = requestTimeout;
        this.limit = new InFlightLimit(maxInFlight, executor);
    }

    /**
     * A client whose connect timeout is {@code connectTimeout} or {@code requestTimeout}, whichever is
     * shorter, with at most {@code maxInFlight} requests at once ({@link Integer#MAX_VALUE}: no limit).
     */
    public static VendorHttp withTimeouts(Duration connectTimeout, Duration requestTimeout, int maxInFlight) {
        return new VendorHttp(connectTimeout.compareTo(requestTimeout) < 0 ? connectTimeout : requestTimeout,
                requestTimeout, maxInFlight);
    }

    /** A vendor's HTTP answer. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        /** The body as JSON; a missing or non-JSON body reads as an empty object. */
        public JsonNode json() {
            return parseJson(body);
        }

        /**
         * {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 §10.2.3, the time from
         * {@code now} until then, at least zero), when present and valid.
         */
        public Optional<Duration> retryAfter(Instant now) {
            return headers.firstValue("Retry-After").flatMap(v -> parseRetryAfter(v.trim(), now));
        }
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * {@code value} as JSON in UTF-8, as {@link Request#json} sends it: characters outside the BMP as
     * their four UTF-8 bytes, not as escaped surrogate pairs (which would count 12 bytes against a
     * vendor's size limit).
     */
    public static byte[] jsonBytes(Object value) {
        return jsonText(value).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code value} as JSON text, characters outside the BMP unescaped (as {@link #jsonBytes} encodes them). */
    public static String jsonText(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@code body} as JSON; a missing or non-JSON body reads as an empty object. */
    public static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    /** One POST to a vendor, with its body encoded. */
    public record Request(URI uri, Map<String, String> headers, String contentType, byte[] body) {
        public static Request json(URI uri, Map<String, String> headers, Object body) {
            return jsonText(uri, headers, VendorHttp.jsonText(body));
        }

        /** A post of JSON already serialised ({@link VendorHttp#jsonText}). */
        public static Request jsonText(URI uri, Map<String, String> headers, String json) {
            return new Request(uri, headers, "application/json; charset=UTF-8", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Request form(URI uri, Map<String, String> headers, Map<String, String> form) {
            return new Request(uri, headers, "application/x-www-form-urlencoded; charset=UTF-8",
                    formEncode(form).getBytes(StandardCharsets.UTF_8));
        }

        /** The same request with {@code more} headers too (none: this one). */
        public Request withHeaders(Map<String, String> more) {
            if (more.isEmpty()) {
                return this;
            }
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.putAll(more);
            return new Request(uri, all, contentType, body);
        }

        /** The body as text (UTF-8). */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public CompletableFuture<Response> postJson(URI uri, Map<String, String> headers, Object body) {
        return post(Request.json(uri, headers, body));
    }

    public CompletableFuture<Response> postForm(URI uri, Map<String, String> headers, Map<String, String> form) {
        return post(Request.form(uri, headers, form));
    }

    /** {@code k=v&...}, UTF-8 URL-encoded, in the map's iteration order. */
    public static String formEncode(Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    public CompletableFuture<Response> post(Request request) {
        return post(request, Lane.CHAT);
    }

    /** Posts {@code request} for a delivery of {@code lane}: a chat request waits for a place before any bulk one. */
    public CompletableFuture<Response> post(Request request, Lane lane) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(timeout)
                .header("Content-Type", request.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        HttpRequest built = b.build();
        return limit.run(lane, () -> client.sendAsync(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers())));
    }

    @Override
    public void close() {
        client.close();
    }
}

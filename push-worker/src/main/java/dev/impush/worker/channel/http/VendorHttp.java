package dev.impush.worker.channel.http;

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
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous JSON and form posts for the vendor channels, over one {@link HttpClient} (HTTP/2
 * where the vendor speaks it). A response is always returned as it came; transport failures fail
 * the future (the dispatcher maps them to Retry). Thread-safe.
 */
public final class VendorHttp implements AutoCloseable {
    private final HttpClient client;
    private final Duration timeout;

    public VendorHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(connectTimeout)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.timeout = requestTimeout;
    }

    /** A client whose connect timeout is {@code connectTimeout} or {@code requestTimeout}, whichever is shorter. */
    public static VendorHttp withTimeouts(Duration connectTimeout, Duration requestTimeout) {
        return new VendorHttp(connectTimeout.compareTo(requestTimeout) < 0 ? connectTimeout : requestTimeout,
                requestTimeout);
    }

    /** A vendor's HTTP answer. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        /** The body as JSON; a missing or non-JSON body reads as an empty object. */
        public JsonNode json() {
            return parseJson(body);
        }

        /** {@code Retry-After} in delta-seconds, when present and not negative. */
        public Optional<Duration> retryAfter() {
            return headers.firstValue("Retry-After").flatMap(v -> {
                try {
                    long s = Long.parseLong(v.trim());
                    return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            });
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
    public record Request(URI uri, Map<String, String> headers, String contentType, String body) {
        public static Request json(URI uri, Map<String, String> headers, Object body) {
            return new Request(uri, headers, "application/json; charset=UTF-8",
                    new String(Json.write(body), StandardCharsets.UTF_8));
        }

        public static Request form(URI uri, Map<String, String> headers, Map<String, String> form) {
            return new Request(uri, headers, "application/x-www-form-urlencoded; charset=UTF-8", formEncode(form));
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
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(timeout)
                .header("Content-Type", request.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        request.headers().forEach(b::header);
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers()));
    }

    @Override
    public void close() {
        client.close();
    }
}

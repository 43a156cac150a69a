package dev.impush.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Optional;

/**
 * A browser's push subscription (W3C Push API): the push service's endpoint (RFC 8030) and the keys
 * a message is encrypted to (RFC 8291). A {@link Channel#WEBPUSH} device's token is the subscription
 * as the browser gives it, {@code JSON.stringify(subscription)}:
 * {@code {"endpoint": "https://...", "expirationTime": null, "keys": {"p256dh": "<base64url>", "auth": "<base64url>"}}}.
 *
 * @param endpoint an absolute http(s) URL with a host (the worker sends only to the push services it
 *                 allows; browsers give https)
 * @param p256dh   the browser's ECDH public key, an uncompressed P-256 point (65 bytes, {@code 0x04 || x || y})
 * @param auth     the authentication secret (16 bytes)
 */
public record WebPushSubscription(URI endpoint, byte[] p256dh, byte[] auth) {
    public static final int P256DH_BYTES = 65;
    public static final int AUTH_BYTES = 16;

    public WebPushSubscription {
        p256dh = p256dh.clone();
        auth = auth.clone();
    }

    /**
     * Reads a subscription token.
     *
     * @throws IllegalArgumentException saying which part is wrong (never a key's value)
     */
    public static WebPushSubscription parse(String token) {
        JsonNode root;
        try {
            root = token == null ? null : Json.mapper().readTree(token);
        } catch (IOException e) {
            throw new IllegalArgumentException("a webpush token must be the subscription's JSON (JSON.stringify(subscription))");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a webpush token must be the subscription's JSON object");
        }
        URI endpoint = endpoint(root.path("endpoint").asText(""));
        byte[] p256dh = key(root.path("keys").path("p256dh"), "keys.p256dh", P256DH_BYTES);
        if (p256dh[0] != 4) {
            throw new IllegalArgumentException("keys.p256dh must be an uncompressed P-256 point (starting 0x04)");
        }
        return new WebPushSubscription(endpoint, p256dh, key(root.path("keys").path("auth"), "keys.auth", AUTH_BYTES));
    }

    /** What is wrong with {@code token} as a subscription; empty when it is one. */
    public static Optional<String> problem(String token) {
        try {
            parse(token);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public byte[] p256dh() {
        return p256dh.clone();
    }

    @Override
    public byte[] auth() {
        return auth.clone();
    }

    /** The endpoint's origin ({@code scheme://host[:port]}): a VAPID token's audience (RFC 8292). */
    public String origin() {
        return endpoint.getScheme() + "://" + endpoint.getRawAuthority();
    }

    @Override
    public String toString() {
        return "WebPushSubscription[" + origin() + "/…]"; // the path identifies the browser: never logged whole
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new URISyntaxException(value, "not absolute http(s)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint must be an absolute https URL");
        }
    }

    private static byte[] key(JsonNode node, String field, int length) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(node.asText("").replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be base64url");
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, not " + bytes.length);
        }
        return bytes;
    }
}

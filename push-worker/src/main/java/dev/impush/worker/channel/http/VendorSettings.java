package dev.impush.worker.channel.http;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.SendOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * What every HTTP vendor channel has, read the same way for each and nested in its config: where the
 * API is, how long one request may take, how long to hold off after a rate limit that names no time,
 * and where the vendor's daily quota resets.
 *
 * @param baseUrl          an absolute http(s) URL without query, no trailing {@code /}; request paths
 *                         are appended to it, so a path prefix (an egress proxy's) is kept
 * @param requestTimeout   timeout of one HTTP request (connect at most {@link #CONNECT_TIMEOUT})
 * @param rateLimitBackoff how long to hold off after a rate limit without {@code Retry-After}
 * @param quotaZone        the zone whose midnight resets the vendor's daily quota
 * @param maxConcurrency   requests in flight at once; more wait in order, holding no thread. Over
 *                         HTTP/1.1 each one holds a connection, so this bounds the connections too
 */
public record VendorSettings(URI baseUrl, Duration requestTimeout, Duration rateLimitBackoff, ZoneId quotaZone,
                             int maxConcurrency) {
    /** The longest a connection may take to open; shorter when the request timeout is. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RATE_LIMIT_BACKOFF = Duration.ofSeconds(60);
    /** Every China vendor resets its daily quota at midnight Beijing time. */
    public static final ZoneId DEFAULT_QUOTA_ZONE = ZoneId.of("Asia/Shanghai");
    /**
     * Connections a replica keeps to an HTTP/1.1 vendor at most: enough for 1,000+ sends/s at 100 ms,
     * and under the idle connections a server keeps open (an idle connection the server closed fails
     * the next request sent on it).
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 128;

    public VendorSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.getHost() == null || baseUrl.getRawQuery() != null
                || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL without query: " + baseUrl);
        }
        baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        Checks.requirePositive(requestTimeout, "requestTimeout");
        Checks.requireNotNegative(rateLimitBackoff, "rateLimitBackoff");
        Objects.requireNonNull(quotaZone, "quotaZone");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1: " + maxConcurrency);
        }
    }

    /** The vendor's production URL, every other setting at its default. */
    public static VendorSettings defaults(String baseUrl) {
        return new VendorSettings(URI.create(baseUrl), DEFAULT_TIMEOUT, DEFAULT_RATE_LIMIT_BACKOFF, DEFAULT_QUOTA_ZONE,
                DEFAULT_MAX_CONCURRENCY);
    }

    /**
     * Reads {@code urlKey} and {@code <prefix>TIMEOUT_MS}, {@code <prefix>RATE_LIMIT_BACKOFF_MS},
     * {@code <prefix>QUOTA_ZONE}, {@code <prefix>MAX_CONCURRENCY} (e.g. prefix {@code IMPUSH_VIVO_});
     * unset ones keep {@code defaults}.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static VendorSettings fromEnv(Env env, String prefix, String urlKey, VendorSettings defaults) {
        URI url = VendorEnv.httpUrl(env, urlKey, defaults.baseUrl());
        if (url.getRawQuery() != null) {
            throw new ConfigException(urlKey + "=" + url + " must not have a query");
        }
        return new VendorSettings(url,
                VendorEnv.positiveMillis(env, prefix + "TIMEOUT_MS", defaults.requestTimeout()),
                env.millis(prefix + "RATE_LIMIT_BACKOFF_MS", defaults.rateLimitBackoff().toMillis()),
                VendorEnv.zone(env, prefix + "QUOTA_ZONE", defaults.quotaZone()),
                env.integer(prefix + "MAX_CONCURRENCY", defaults.maxConcurrency(), 1, 100_000));
    }

    /** {@code path} (starting with {@code /}) on this vendor's base URL. */
    public URI url(String path) {
        return URI.create(baseUrl + path);
    }

    /** An HTTP client with these timeouts and at most {@link #maxConcurrency} requests at once. */
    public VendorHttp http() {
        return VendorHttp.withTimeouts(CONNECT_TIMEOUT, requestTimeout, maxConcurrency);
    }

    /** A rate limit: hold off for {@code retryAfter} when the vendor named it, else for the backoff. */
    public SendOutcome.RateLimited rateLimited(Instant now, Optional<Duration> retryAfter, String reason) {
        return new SendOutcome.RateLimited(now.plus(retryAfter.orElse(rateLimitBackoff)), reason);
    }

    /** A rate limit without a time named: hold off for the backoff. */
    public SendOutcome.RateLimited rateLimited(Instant now, String reason) {
        return rateLimited(now, Optional.empty(), reason);
    }

    /** The daily quota is used up: hold off until it resets. */
    public SendOutcome.RateLimited quotaUsedUp(Instant now, String reason) {
        return new SendOutcome.RateLimited(QuotaDay.nextMidnight(now, quotaZone), reason);
    }
}

package dev.impush.worker.channel.harmony;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How to reach Push Kit for HarmonyOS NEXT (HarmonyOS 5 and later) for one AppGallery Connect
 * project. Immutable; read it with {@link #fromEnv}. [U] marks what Huawei's reference leaves open,
 * which is configuration here.
 *
 * @param account          the service account whose JWT authorizes each send; its key is never printed
 * @param projectId        the AGC project id ({@code /v3/{projectId}/messages:send}); the key file's by default
 * @param settings         the API's base URL, timeout, backoff after flow control (HTTP 503) without
 *                         {@code Retry-After}, zone of the daily quota's midnight, requests in flight
 * @param category         {@code notification.category} of chat pushes: {@code IM} needs Huawei's
 *                         self-classification right, without which Push Kit treats them as marketing
 * @param clickAction      the ability {@code action} a tap opens when the message has no route; empty =
 *                         the app's home page ({@code actionType 0})
 * @param calls            how call invites go: as VoIP call pushes ({@code push-type 10}, needs the VoIP
 *                         right) or as notifications of category {@code VOIP}
 * @param foregroundShow   whether a notification is shown while the app is in the foreground: off by
 *                         default, since the app's long connection shows the message then
 * @param testMessage      {@code pushOptions.testMessage} (1,000 a day, for apps in testing)
 * @param receiptId        {@code pushOptions.receiptId}: the receipt configuration in AGC, if any
 * @param maxTtl           the longest {@code pushOptions.ttl} sent: 15 days, Push Kit's maximum
 * @param jwtLifetime      how long each JWT is valid and reused: an hour, as Huawei recommends (at most a day)
 * @param invalidTokenCodes  codes meaning the token is dead [U]: 80300007 ("all the tokens are invalid")
 * @param authExpiredCodes   codes after which a new JWT is signed and the push resent once: 80200005
 *                           (JWT expired) and 80200001 (authentication error)
 * @param dailyQuotaCodes    codes meaning a daily quota is used up [U]: 80300029 (test messages)
 * @param keepTokenReasons   per-token reasons of 80300007/80100000 that are not the token's fault (a
 *                           missing right, a penalty): the push is rejected and the token kept [U]
 */
public record HarmonyConfig(
        HarmonyServiceAccount account,
        String projectId,
        VendorSettings settings,
        String category,
        Optional<String> clickAction,
        CallPush calls,
        boolean foregroundShow,
        boolean testMessage,
        Optional<String> receiptId,
        Duration maxTtl,
        Duration jwtLifetime,
        Set<String> invalidTokenCodes,
        Set<String> authExpiredCodes,
        Set<String> dailyQuotaCodes,
        Set<String> keepTokenReasons) {

    /** How a call invite is pushed. */
    public enum CallPush {
        /** {@code push-type 10}: the app's call screen gets the invite ({@code extraData}). */
        VOIP,
        /** {@code push-type 0}, category {@code VOIP}: a notification the user taps. */
        NOTIFICATION
    }

    public static final String PREFIX = "IMPUSH_HARMONY_";
    public static final String SERVICE_ACCOUNT = "IMPUSH_HARMONY_SERVICE_ACCOUNT";
    public static final String SERVICE_ACCOUNT_FILE = "IMPUSH_HARMONY_SERVICE_ACCOUNT_FILE";
    public static final String PROJECT_ID = "IMPUSH_HARMONY_PROJECT_ID";
    public static final String PUSH_URL = "IMPUSH_HARMONY_PUSH_URL";
    public static final String CATEGORY = "IMPUSH_HARMONY_CATEGORY";
    public static final String CLICK_ACTION = "IMPUSH_HARMONY_CLICK_ACTION";
    public static final String CALLS = "IMPUSH_HARMONY_CALLS";
    public static final String FOREGROUND_SHOW = "IMPUSH_HARMONY_FOREGROUND_SHOW";
    public static final String TEST_MESSAGE = "IMPUSH_HARMONY_TEST_MESSAGE";
    public static final String RECEIPT_ID = "IMPUSH_HARMONY_RECEIPT_ID";
    public static final String MAX_TTL_S = "IMPUSH_HARMONY_MAX_TTL_S";
    public static final String JWT_LIFETIME_S = "IMPUSH_HARMONY_JWT_LIFETIME_S";
    public static final String INVALID_TOKEN_CODES = "IMPUSH_HARMONY_INVALID_TOKEN_CODES";
    public static final String AUTH_EXPIRED_CODES = "IMPUSH_HARMONY_AUTH_EXPIRED_CODES";
    public static final String DAILY_QUOTA_CODES = "IMPUSH_HARMONY_DAILY_QUOTA_CODES";
    public static final String KEEP_TOKEN_REASONS = "IMPUSH_HARMONY_KEEP_TOKEN_REASONS";

    public static final VendorSettings DEFAULT_SETTINGS = VendorSettings.defaults("https://push-api.cloud.huawei.com");
    public static final String DEFAULT_CATEGORY = "IM";
    /** What a Push Kit category looks like ({@code IM}, {@code MISS_CALL}); Huawei adds new ones. */
    private static final Pattern CATEGORY_FORM = Pattern.compile("[A-Z_]{2,32}");
    /** Push Kit's longest ttl: 1,296,000 s. */
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(15);
    public static final Duration DEFAULT_JWT_LIFETIME = Duration.ofHours(1);
    /** A JWT is replaced this long before it expires ({@link dev.impush.worker.channel.http.AuthTokenCache}). */
    static final Duration JWT_REFRESH_MARGIN = Duration.ofMinutes(5);
    public static final Set<String> DEFAULT_INVALID_TOKEN_CODES = Set.of("80300007");
    public static final Set<String> DEFAULT_AUTH_EXPIRED_CODES = Set.of("80200005", "80200001");
    public static final Set<String> DEFAULT_DAILY_QUOTA_CODES = Set.of("80300029");
    /** Reasons Huawei's reference lists that say nothing about the token itself. */
    public static final Set<String> DEFAULT_KEEP_TOKEN_REASONS = Set.of("noPushTypeRight", "noRight",
            "atomicUnableSendUnsubscribedMsg", "countryNotSupport", "disableSendHuaweiMsgBecauseOfPenalty",
            "differentImgVerifyPolicy", "noRightToSendThisLiveNotificationEvent", "notSupportPlayVoice");

    public HarmonyConfig {
        Objects.requireNonNull(account, "account");
        if (projectId == null || !projectId.matches("[0-9A-Za-z_-]{1,64}")) {
            throw new IllegalArgumentException("projectId must be 1-64 letters, digits, _ or -: " + projectId);
        }
        Objects.requireNonNull(settings, "settings");
        if (category == null || !CATEGORY_FORM.matcher(category).matches()) {
            throw new IllegalArgumentException("category must be a Push Kit category such as IM: " + category);
        }
        Objects.requireNonNull(clickAction, "clickAction");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(receiptId, "receiptId");
        if (maxTtl == null || maxTtl.toSeconds() < 1 || maxTtl.compareTo(DEFAULT_MAX_TTL) > 0) {
            throw new IllegalArgumentException("maxTtl must be 1 s to 15 days: " + maxTtl);
        }
        if (jwtLifetime == null || jwtLifetime.compareTo(Duration.ofMinutes(10)) < 0
                || jwtLifetime.compareTo(HarmonyServiceAccount.MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("jwtLifetime must be 10 min to 1 day: " + jwtLifetime);
        }
        invalidTokenCodes = Set.copyOf(invalidTokenCodes);
        authExpiredCodes = Set.copyOf(authExpiredCodes);
        dailyQuotaCodes = Set.copyOf(dailyQuotaCodes);
        keepTokenReasons = Set.copyOf(keepTokenReasons);
    }

    /** Where messages are sent. */
    public URI sendUrl() {
        return settings.url("/v3/" + projectId + "/messages:send");
    }

    /**
     * Reads {@code IMPUSH_HARMONY_*}. Empty when neither {@value #SERVICE_ACCOUNT_FILE} nor
     * {@value #SERVICE_ACCOUNT} is set (HarmonyOS NEXT disabled).
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<HarmonyConfig> fromEnv(Env env) {
        Optional<String> json = env.secret(SERVICE_ACCOUNT, SERVICE_ACCOUNT_FILE);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        HarmonyServiceAccount account;
        try {
            account = HarmonyServiceAccount.parse(json.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException((env.optional(SERVICE_ACCOUNT_FILE).isPresent() ? SERVICE_ACCOUNT_FILE + "="
                    + env.optional(SERVICE_ACCOUNT_FILE).get() : SERVICE_ACCOUNT) + ": " + e.getMessage());
        }
        String project = env.optional(PROJECT_ID).orElse(account.projectId());
        if (project.isBlank()) {
            throw new ConfigException("set " + PROJECT_ID + ": the service account's key file has no project_id");
        }
        String category = env.string(CATEGORY, DEFAULT_CATEGORY);
        if (!CATEGORY_FORM.matcher(category).matches()) {
            throw new ConfigException(CATEGORY + "=" + category + " is not a Push Kit category (IM, VOIP, MARKETING, ...)");
        }
        try {
            return Optional.of(new HarmonyConfig(account, project,
                    VendorSettings.fromEnv(env, PREFIX, PUSH_URL, DEFAULT_SETTINGS), category,
                    env.optional(CLICK_ACTION), env.choice(CALLS, CallPush.VOIP),
                    env.bool(FOREGROUND_SHOW, false), env.bool(TEST_MESSAGE, false), env.optional(RECEIPT_ID),
                    Duration.ofSeconds(env.integer(MAX_TTL_S, (int) DEFAULT_MAX_TTL.toSeconds(), 1,
                            (int) DEFAULT_MAX_TTL.toSeconds())),
                    Duration.ofSeconds(env.integer(JWT_LIFETIME_S, (int) DEFAULT_JWT_LIFETIME.toSeconds(), 600,
                            (int) HarmonyServiceAccount.MAX_LIFETIME.toSeconds())),
                    VendorEnv.codes(env, INVALID_TOKEN_CODES, DEFAULT_INVALID_TOKEN_CODES),
                    VendorEnv.codes(env, AUTH_EXPIRED_CODES, DEFAULT_AUTH_EXPIRED_CODES),
                    VendorEnv.codes(env, DAILY_QUOTA_CODES, DEFAULT_DAILY_QUOTA_CODES),
                    env.optional(KEEP_TOKEN_REASONS).map(HarmonyConfig::words).orElse(DEFAULT_KEEP_TOKEN_REASONS)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PREFIX + "*: " + e.getMessage());
        }
    }

    private static Set<String> words(String commaList) {
        return Arrays.stream(commaList.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}

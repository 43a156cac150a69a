package dev.impush.worker.channel.meizu;

import dev.impush.worker.channel.http.Digests;
import java.util.Map;
import java.util.TreeMap;

/**
 * Meizu's request signature: every parameter except {@code sign}, sorted by key, concatenated as
 * {@code key=value} with no separator using the raw (not URL-encoded) values, then the app secret;
 * the MD5 of those UTF-8 bytes in lowercase hex.
 */
final class MeizuSign {
    private MeizuSign() {}

    static String sign(Map<String, String> params, String appSecret) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> {
            if (!"sign".equals(k)) {
                s.append(k).append('=').append(v == null ? "" : v);
            }
        });
        return Digests.md5Hex(s.append(appSecret).toString());
    }
}

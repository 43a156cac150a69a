package dev.impush.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A priority lane of push jobs. Chat (and call) pushes and bulk pushes (broadcasts, campaigns) travel
 * on separate topics, retry tiers and parking topics, so a bulk backlog never sits in front of a chat
 * push: workers take bulk records only with the capacity chat leaves. The JSON form is {@code chat} / {@code bulk}.
 */
public enum Lane {
    /** Chat and call pushes: {@code push.jobs}, tiers {@code push.retry.<delay>}, parking {@code push.park.<channel>}. */
    @JsonProperty("chat") CHAT(""),
    /** Bulk pushes: {@code push.jobs.bulk}, tiers {@code push.retry.bulk.<delay>}, parking {@code push.park.bulk.<channel>}. */
    @JsonProperty("bulk") BULK("bulk.");

    private final String infix;

    Lane(String infix) {
        this.infix = infix;
    }

    /** What a tier or parking topic of this lane has after the prefix: {@code ""} or {@code "bulk."}. */
    public String infix() {
        return infix;
    }
}

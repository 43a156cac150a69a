package dev.impush.model.event;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Sets the tags of a user (all of them: an empty list clears them), for broadcasts to a tag
 * audience ({@code {"tag": "vip"}}). An event older than the tags stored ({@link #at()}) is ignored.
 */
public record TagsEvent(int v, String userId, Set<String> tags, Instant at) implements ImEvent {
    /** Most tags a user carries. */
    public static final int MAX_TAGS = 64;
    /** Longest tag. */
    public static final int MAX_TAG_LENGTH = 128;

    public TagsEvent {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    @Override
    public List<String> violations() {
        Violations v = new Violations().required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("at", at).time("at", at).maxSize("tags", tags, MAX_TAGS);
        tags.forEach(t -> v.required("tags[]", t).maxLength("tags[]", t, MAX_TAG_LENGTH));
        return v.messages();
    }
}

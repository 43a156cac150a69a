package dev.impush.detector.state;

import dev.impush.model.event.TagsEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A user's tags, as the last {@code tags} event set them, and that event's time. */
public record UserTags(Set<String> tags, Instant at) {
    public static final UserTags NONE = new UserTags(Set.of(), null);

    public UserTags {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    public static UserTags orNone(UserTags stored) {
        return stored == null ? NONE : stored;
    }

    /** The tags {@code e} sets, unless what is stored is newer (events of one user may arrive out of order). */
    public Optional<UserTags> apply(TagsEvent e) {
        if (at != null && at.isAfter(e.at())) {
            return Optional.empty();
        }
        return Optional.of(new UserTags(e.tags(), e.at()));
    }

    public boolean has(String tag) {
        return tags.contains(tag);
    }

    /**
     * Nothing to remember. Cleared tags are not nothing: their time keeps an older {@code tags} event
     * read later from bringing them back.
     */
    public boolean isEmpty() {
        return at == null;
    }
}

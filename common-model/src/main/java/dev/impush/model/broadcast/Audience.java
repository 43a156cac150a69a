package dev.impush.model.broadcast;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.TagsEvent;
import java.util.List;

/**
 * Who a broadcast reaches; exactly one form is given:
 * {@code {"all": true}} every user with a device of the broadcast's app, {@code {"users": [...]}} the
 * users listed (at most {@link #MAX_USERS}; for more, send several broadcasts or tag the users), or
 * {@code {"tag": "..."}} the users carrying that tag (set by {@code tags} events).
 */
public record Audience(Boolean all, List<String> users, String tag) {
    /** Most users one broadcast may list. */
    public static final int MAX_USERS = 10_000;

    public Audience {
        users = users == null ? null : List.copyOf(users);
    }

    public static Audience everyone() {
        return new Audience(true, null, null);
    }

    public static Audience users(List<String> users) {
        return new Audience(null, users, null);
    }

    public static Audience tagged(String tag) {
        return new Audience(null, null, tag);
    }

    /** The form given; {@code null} when none or more than one is (see {@link #violations}). */
    @JsonIgnore
    public Form form() {
        int given = (Boolean.TRUE.equals(all) ? 1 : 0) + (users != null ? 1 : 0) + (tag != null ? 1 : 0);
        if (given != 1) {
            return null;
        }
        return Boolean.TRUE.equals(all) ? Form.ALL : users != null ? Form.USERS : Form.TAG;
    }

    public enum Form { ALL, USERS, TAG }

    List<String> violations() {
        Violations v = new Violations().check(form() != null,
                "audience must have exactly one of {\"all\": true}, {\"users\": [...]} or {\"tag\": \"...\"}");
        if (users != null) {
            v.check(!users.isEmpty(), "audience.users must not be empty").maxSize("audience.users", users, MAX_USERS);
            for (int i = 0; i < users.size() && i < MAX_USERS; i++) {
                v.required("audience.users[" + i + "]", users.get(i))
                        .maxLength("audience.users[" + i + "]", users.get(i), ImEvent.MAX_ID_LENGTH);
            }
        }
        if (tag != null) {
            v.required("audience.tag", tag).maxLength("audience.tag", tag, TagsEvent.MAX_TAG_LENGTH);
        }
        return v.messages();
    }
}

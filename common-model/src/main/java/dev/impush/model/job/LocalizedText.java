package dev.impush.model.job;

import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import java.util.List;

/**
 * Text the phone localizes itself: keys of the app's own strings and their arguments, so each phone
 * shows its own language. APNs ({@code title-loc-key}, {@code loc-key}, ...) and FCM
 * ({@code title_loc_key}, {@code body_loc_key}, ...) use them; the other channels show the plain title
 * and body, which should stay set as the fallback.
 */
public record LocalizedText(String titleKey, List<String> titleArgs, String bodyKey, List<String> bodyArgs) {
    /** Most arguments per key. */
    public static final int MAX_ARGS = 16;

    public LocalizedText {
        titleArgs = titleArgs == null ? List.of() : List.copyOf(titleArgs);
        bodyArgs = bodyArgs == null ? List.of() : List.copyOf(bodyArgs);
    }

    /** The same without the body's key and arguments (a device with previews off must not get the text). */
    public LocalizedText withoutBody() {
        return titleKey == null ? null : new LocalizedText(titleKey, titleArgs, null, List.of());
    }

    public List<String> violations(String field) {
        Violations v = new Violations().check(titleKey != null || bodyKey != null, field + " needs titleKey or bodyKey")
                .optionalText(field + ".titleKey", titleKey, ImEvent.MAX_ID_LENGTH)
                .optionalText(field + ".bodyKey", bodyKey, ImEvent.MAX_ID_LENGTH)
                .maxSize(field + ".titleArgs", titleArgs, MAX_ARGS).maxSize(field + ".bodyArgs", bodyArgs, MAX_ARGS);
        titleArgs.forEach(a -> v.required(field + ".titleArgs[]", a).maxLength(field + ".titleArgs[]", a, ImEvent.MAX_ID_LENGTH));
        bodyArgs.forEach(a -> v.required(field + ".bodyArgs[]", a).maxLength(field + ".bodyArgs[]", a, ImEvent.MAX_ID_LENGTH));
        return v.messages();
    }
}

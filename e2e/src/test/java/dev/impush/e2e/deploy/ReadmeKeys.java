package dev.impush.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The IMPUSH_* keys the README documents; {@code IMPUSH_<VENDOR>_QPS} stands for every vendor's. */
final class ReadmeKeys {
    private static final Pattern KEY = Pattern.compile("IMPUSH_[A-Z0-9_<>]*[A-Z0-9>]");

    private ReadmeKeys() {}

    static Set<String> undocumented(Collection<String> keys) {
        List<Pattern> documented = documented();
        return keys.stream().filter(k -> documented.stream().noneMatch(p -> p.matcher(k).matches()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Pattern> documented() {
        String readme;
        try {
            readme = Files.readString(Path.of("..", "README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> found = new TreeSet<>();
        Matcher m = KEY.matcher(readme);
        while (m.find()) {
            found.add(m.group());
        }
        return found.stream().map(k -> Pattern.compile(Pattern.quote(k).replaceAll("<[A-Z]+>", "\\\\E[A-Z0-9]+\\\\Q")))
                .toList();
    }
}

package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.impush.detector.DetectorMetrics;
import dev.impush.worker.metrics.WorkerMetrics;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every impush metric an alert or the autoscaler queries is one the services export: a renamed
 * metric must not leave a rule that silently never fires. Names are compared as Prometheus writes
 * them (dots to underscores, {@code _total}, {@code _seconds}, histogram suffixes).
 */
class DeployMetricsTest {
    private static final Pattern METRIC = Pattern.compile("\\bimpush_[a-z0-9_]+");
    private static final Pattern SUFFIX = Pattern.compile("(_seconds)?(_total|_bucket|_count|_sum|_max)?$");

    @ParameterizedTest
    @ValueSource(strings = {"helm/impush/files/alerts.yaml", "helm/impush/templates/keda.yaml"})
    void everyQueriedMetricIsExported(String file) throws IOException {
        Set<String> exported = Stream.of(WorkerMetrics.class, DetectorMetrics.class)
                .flatMap(c -> Stream.of(c.getFields()))
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(DeployMetricsTest::value).filter(v -> v.startsWith("impush."))
                .map(v -> v.replace('.', '_')).collect(Collectors.toCollection(TreeSet::new));
        Matcher m = METRIC.matcher(Files.readString(Path.of("..", "deploy", file)));
        Set<String> queried = new TreeSet<>();
        while (m.find()) {
            queried.add(m.group());
        }
        assertFalse(queried.isEmpty(), "no impush metric in " + file);
        Set<String> unknown = queried.stream().filter(q -> !exported.contains(SUFFIX.matcher(q).replaceFirst("")))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), unknown, file + " queries metrics nothing exports (exported: " + exported + ")");
    }

    private static String value(Field f) {
        try {
            return (String) f.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.impush.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart's rendered objects. Each built-in kind is read into fabric8's Kubernetes model and must use
 * no field that model does not know (a misspelt or misplaced key would otherwise pass Helm and fail at
 * {@code kubectl apply}, or worse, be dropped); custom resources must be of a known group and version.
 */
record Rendered(List<JsonNode> objects, List<HasMetadata> typed, Set<String> sources) {
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("ConfigMap", ConfigMap.class,
            "Service", Service.class, "ServiceAccount", ServiceAccount.class, "StatefulSet", StatefulSet.class,
            "PodDisruptionBudget", PodDisruptionBudget.class, "Job", Job.class);
    private static final Map<String, String> CUSTOM = Map.of("ScaledObject", "keda.sh/v1alpha1",
            "ServiceMonitor", "monitoring.coreos.com/v1", "PrometheusRule", "monitoring.coreos.com/v1");
    private static final Pattern SOURCE = Pattern.compile("^# Source: impush/templates/(\\S+)$", Pattern.MULTILINE);

    static Rendered of(String valuesFile) {
        String yaml = Charts.template(Charts.CHART.resolve("ci").resolve(valuesFile), Map.of());
        List<JsonNode> objects = new ArrayList<>();
        List<HasMetadata> typed = new ArrayList<>();
        Set<String> sources = new TreeSet<>();
        Matcher m = SOURCE.matcher(yaml);
        while (m.find()) {
            sources.add(m.group(1));
        }
        try (MappingIterator<JsonNode> docs = Charts.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isMissingNode() || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                objects.add(doc);
                String kind = doc.path("kind").asText();
                String name = kind + " " + doc.at("/metadata/name").asText();
                assertTrue(doc.at("/metadata/name").asText().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") , "name of " + name);
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type != null) {
                    HasMetadata object = Charts.YAML.treeToValue(doc, type);
                    List<String> unknown = new ArrayList<>();
                    unknownFields(object, kind, unknown);
                    assertEquals(List.of(), unknown, "fields Kubernetes does not know in " + name);
                    typed.add(object);
                } else {
                    assertEquals(CUSTOM.get(kind), doc.path("apiVersion").asText(), "apiVersion of " + name);
                    assertTrue(doc.path("spec").isObject(), "spec of " + name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(objects, typed, sources);
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.path("kind").asText()).sorted().toList();
    }

    JsonNode only(String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), kind);
        return found.getFirst();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return typed.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    StatefulSet statefulSet(String name) {
        return named(StatefulSet.class, name);
    }

    ConfigMap configMap(String name) {
        return named(ConfigMap.class, name);
    }

    EnvVar envOrNull(String statefulSet, String name) {
        return statefulSet(statefulSet).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst().orElse(null);
    }

    EnvVar env(String statefulSet, String name) {
        EnvVar e = envOrNull(statefulSet, name);
        if (e == null) {
            throw new AssertionError(statefulSet + " has no " + name);
        }
        return e;
    }

    /** Every field fabric8 read into {@code additionalProperties}: one its model does not have. */
    private static void unknownFields(Object o, String path, List<String> out) {
        if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + getter.getName().substring(3, 4).toLowerCase() + getter.getName().substring(4),
                        out);
            }
        }
    }
}

package dev.impush.e2e.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/** The chart in deploy/helm/impush, rendered by Helm's own code (helm-java, no helm binary needed). */
final class Charts {
    static final Path CHART = Path.of("..", "deploy", "helm", "impush").toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The cluster rendered for: the oldest Kubernetes release still supported upstream as of this chart. */
    static final String KUBE_VERSION = "1.32.0";

    private Charts() {}

    /** {@code helm template impush deploy/helm/impush -n chat -f values --set k=v...}; Helm's error as the message. */
    static String template(Path values, Map<String, String> set) {
        TemplateCommand command = new Helm(CHART).template().withName("impush").withNamespace("chat")
                .withKubeVersion(KUBE_VERSION).withValuesFile(values);
        set.forEach(command::set);
        return command.call();
    }
}

package dev.impush.localstack;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * How fixtures start Kafka and Redis: in containers (Testcontainers) or as local processes (an
 * in-JVM KRaft broker from Maven Central jars, {@code redis-server} from PATH). The system
 * property {@code impush.fixtures} = {@code auto} (default: containers when a Docker engine
 * answers), {@code containers} or {@code local} forces one.
 */
public enum FixtureMode {
    CONTAINERS, LOCAL;

    public static final String PROPERTY = "impush.fixtures";
    private static final Logger LOG = LoggerFactory.getLogger(FixtureMode.class);

    public static FixtureMode resolve() {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        FixtureMode mode = switch (wanted) {
            case "containers" -> CONTAINERS;
            case "local" -> LOCAL;
            case "", "auto" -> dockerAvailable() ? CONTAINERS : LOCAL;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + wanted + " is not one of auto, containers, local");
        };
        LOG.info("fixtures: {} (-D{}={})", mode == CONTAINERS
                ? "Testcontainers (Docker)" : "local processes (in-JVM KRaft broker, redis-server from PATH)",
                PROPERTY, wanted);
        return mode;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}

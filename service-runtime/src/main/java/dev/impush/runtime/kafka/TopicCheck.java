package dev.impush.runtime.kafka;

import dev.impush.runtime.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at start-up that Kafka lets the service in and that the topics it reads and writes exist.
 * A worker started without them would read jobs and then never finish one: every retry-tier record
 * or dead letter it publishes would fail, and its partitions would stop committing while it looked
 * alive. A refused login or TLS handshake is reported as such, naming the settings to check.
 */
public final class TopicCheck {
    private TopicCheck() {}

    /**
     * The topics on the cluster whose names match {@code pattern}, sorted.
     *
     * @throws ConfigException when Kafka refuses the connection or cannot answer within {@code timeout}
     */
    public static List<String> existing(KafkaConnection kafka, Pattern pattern, Duration timeout) {
        try (Admin admin = admin(kafka, timeout)) {
            return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(t -> pattern.matcher(t).matches()).sorted().toList();
        } catch (ExecutionException e) {
            throw failure(kafka, "list its topics", e.getCause());
        } catch (TimeoutException e) {
            throw new ConfigException("Kafka at " + kafka + " did not list its topics within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while listing topics");
        }
    }

    /** What the cluster told: how many brokers it has, and the partition count of each topic asked about. */
    public record Cluster(int brokers, Map<String, Integer> partitions) {}

    /**
     * @param createdBy what creates the topics, for the message
     * @return the broker count and the topics' partition counts
     * @throws ConfigException naming every missing topic, or when Kafka refuses the connection or
     *                         cannot answer within {@code timeout}
     */
    public static Cluster requireTopics(KafkaConnection kafka, Collection<String> topics, Duration timeout, String createdBy) {
        try (Admin admin = admin(kafka, timeout)) {
            List<String> missing = new ArrayList<>();
            Map<String, Integer> partitions = new HashMap<>();
            for (var e : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    partitions.put(e.getKey(), e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS).partitions().size());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw failure(kafka, "describe topic " + e.getKey(), ex.getCause());
                    }
                    missing.add(e.getKey());
                }
            }
            if (!missing.isEmpty()) {
                throw new ConfigException("topics missing: " + missing.stream().sorted().toList()
                        + "; this service does not create them: create them first (" + createdBy + ")");
            }
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            } catch (ExecutionException e) {
                throw failure(kafka, "describe the cluster", e.getCause());
            }
            return new Cluster(brokers, Map.copyOf(partitions));
        } catch (TimeoutException e) {
            throw new ConfigException("Kafka at " + kafka + " did not describe the topics within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking topics");
        }
    }

    /** What went wrong, naming the settings to check; Kafka's messages carry no secret. */
    static ConfigException failure(KafkaConnection kafka, String what, Throwable cause) {
        return switch (cause) {
            case SaslAuthenticationException e -> new ConfigException("Kafka at " + kafka + " refused the SASL login"
                    + " (check " + KafkaConnection.SASL_USERNAME + " and " + KafkaConnection.SASL_PASSWORD_FILE
                    + " or " + KafkaConnection.SASL_PASSWORD + "): " + e.getMessage());
            case SslAuthenticationException e -> new ConfigException("TLS handshake with Kafka at " + kafka
                    + " failed (check " + KafkaConnection.SSL_CA_FILE + " and " + KafkaConnection.SECURITY_PROTOCOL
                    + "): " + rootMessage(e));
            default -> new ConfigException("Kafka at " + kafka + " did not " + what + ": " + cause);
        };
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static Admin admin(KafkaConnection kafka, Duration timeout) {
        return Admin.create(kafka.admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()), Map.of()));
    }
}

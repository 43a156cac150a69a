package dev.impush.worker.publish;

import dev.impush.runtime.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at start-up that the topics a worker reads and writes exist. A worker started without
 * them would read jobs and then never finish one: every retry-tier record or dead letter it
 * publishes would fail, and its partitions would stop committing while it looked alive.
 */
public final class TopicCheck {
    private TopicCheck() {}

    /**
     * The topics on the cluster whose names match {@code pattern}, sorted.
     *
     * @throws ConfigException when Kafka cannot answer within {@code timeout}
     */
    public static List<String> existing(String bootstrap, Pattern pattern, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(t -> pattern.matcher(t).matches()).sorted().toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigException("Kafka at " + bootstrap + " did not list its topics within " + timeout + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while listing topics");
        }
    }

    /** @throws ConfigException naming every missing topic, or when Kafka cannot answer within {@code timeout} */
    public static void requireTopics(String bootstrap, Collection<String> topics, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            List<String> missing = new ArrayList<>();
            for (var e : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new ConfigException("cannot check topic " + e.getKey() + " at " + bootstrap + ": "
                                + ex.getCause());
                    }
                    missing.add(e.getKey());
                }
            }
            if (!missing.isEmpty()) {
                throw new ConfigException("topics missing: " + missing.stream().sorted().toList()
                        + "; the worker does not create them: create them first (deploy/create-topics.sh creates"
                        + " the jobs, feedback, dead-letter and retry-tier topics)");
            }
        } catch (TimeoutException e) {
            throw new ConfigException("Kafka at " + bootstrap + " did not describe the topics within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking topics");
        }
    }
}

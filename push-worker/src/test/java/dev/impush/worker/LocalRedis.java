package dev.impush.worker;

import dev.impush.localstack.redis.RedisFixture;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for one test class (a container or a local redis-server, as {@code impush.fixtures}
 * says), with a client and a scheduler for the components under test:
 * {@code @RegisterExtension static final LocalRedis REDIS = new LocalRedis();}
 */
public final class LocalRedis implements BeforeAllCallback, AfterAllCallback {
    private RedisFixture server;
    private RedisClient client;
    private RedisLink link;
    private ScheduledExecutorService scheduler;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisFixture.start();
        client = RedisClient.create(server.uri());
        link = RedisConnection.of(server.uri()).open(o -> o, Duration.ofSeconds(5));
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        scheduler.shutdownNow();
        client.shutdown();
        link.close();
        server.close();
    }

    /** Raw access, for assertions. */
    public RedisClient client() {
        return client;
    }

    /** What the components under test take. */
    public RedisLink link() {
        return link;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }
}

package dev.impush.worker;

import dev.impush.localstack.redis.RedisFixture;
import io.lettuce.core.RedisClient;
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
    private ScheduledExecutorService scheduler;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisFixture.start();
        client = RedisClient.create(server.uri());
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        scheduler.shutdownNow();
        client.shutdown();
        server.close();
    }

    public RedisClient client() {
        return client;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }
}

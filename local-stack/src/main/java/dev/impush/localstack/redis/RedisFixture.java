package dev.impush.localstack.redis;

import dev.impush.localstack.FixtureMode;
import java.util.Map;

/** A running Redis for tests, the quickstart and benchmarks. */
public interface RedisFixture extends AutoCloseable {
    /** A Redis started the way {@link FixtureMode#resolve()} says: a container, or a local redis-server. */
    static RedisFixture start() {
        return start(FixtureMode.resolve());
    }

    static RedisFixture start(FixtureMode mode) {
        return mode == FixtureMode.CONTAINERS ? ContainerRedis.start() : RedisServerProcess.start();
    }

    /** A Lettuce URI, e.g. {@code redis://127.0.0.1:6390}. */
    String uri();

    /** The {@code IMPUSH_REDIS_*} environment of a service that uses this Redis. */
    default Map<String, String> serviceEnv() {
        return Map.of("IMPUSH_REDIS_URI", uri());
    }

    @Override
    void close();
}

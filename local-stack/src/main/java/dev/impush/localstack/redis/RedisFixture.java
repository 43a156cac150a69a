package dev.impush.localstack.redis;

/** A running Redis for tests, the quickstart and benchmarks. */
public interface RedisFixture extends AutoCloseable {
    /** A Lettuce URI, e.g. {@code redis://127.0.0.1:6390}. */
    String uri();

    @Override
    void close();
}

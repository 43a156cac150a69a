package dev.impush.localstack.redis;

import org.testcontainers.containers.GenericContainer;

/** Redis in a container (Testcontainers), for machines with a Docker engine. */
public final class ContainerRedis implements RedisFixture {
    public static final String IMAGE = "redis:7.0-alpine";

    private final GenericContainer<?> container;

    private ContainerRedis(GenericContainer<?> container) {
        this.container = container;
    }

    public static ContainerRedis start() {
        GenericContainer<?> c = new GenericContainer<>(IMAGE).withExposedPorts(6379)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        c.start();
        return new ContainerRedis(c);
    }

    @Override
    public String uri() {
        return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }

    @Override
    public void close() {
        container.stop();
    }
}

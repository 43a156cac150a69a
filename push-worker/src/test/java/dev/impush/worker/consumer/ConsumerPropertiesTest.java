package dev.impush.worker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.WorkerConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class ConsumerPropertiesTest {
    private static Map<String, Object> props(Map<String, String> env) {
        return WorkerLoop.consumerProperties(WorkerConfig.fromEnv(Env.of(env)));
    }

    @Test
    void defaults_fullerFetches_boundedResponses() {
        Map<String, Object> p = props(Map.of("IMPUSH_WORKER_INSTANCE_ID", "w-1"));
        assertEquals(32 * 1024, p.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG));
        assertEquals(10, p.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        assertEquals(256 * 1024, p.get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG));
        assertEquals(256 * 1024, p.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG));
        assertEquals("w-1", p.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertEquals("read_committed", p.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
    }

    @Test
    void overrides_andRanges() {
        Map<String, Object> p = props(Map.of("IMPUSH_WORKER_FETCH_MIN_BYTES", "1",
                "IMPUSH_WORKER_FETCH_MAX_WAIT_MS", "0", "IMPUSH_WORKER_FETCH_MAX_BYTES", "2097152"));
        assertEquals(1, p.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG));
        assertEquals(0, p.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        assertEquals(2 * 1024 * 1024, p.get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG));
        assertEquals(ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES, p.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG));
        assertThrows(ConfigException.class, () -> props(Map.of("IMPUSH_WORKER_FETCH_MAX_WAIT_MS", "10001")));
        assertThrows(ConfigException.class, () -> props(Map.of("IMPUSH_WORKER_FETCH_MIN_BYTES", "0")));
    }
}

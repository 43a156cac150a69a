package dev.impush.detector;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A {@link TopologyTestDriver} with the production Streams properties (error handlers included). */
final class TestDrivers {
    private TestDrivers() {}

    static TopologyTestDriver of(Topology topology, DetectorConfig config, MeterRegistry registry, Instant start) {
        Properties props = OfflineDetector.properties(config, registry);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"); // never dialled
        return new TopologyTestDriver(topology, props, start);
    }
}

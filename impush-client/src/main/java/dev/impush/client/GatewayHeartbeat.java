package dev.impush.client;

import dev.impush.model.event.GatewayLease;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IM gateway's lease on {@code im.gateways}, renewed every third of its length, so a missed
 * beat or two is not an outage. While it runs, the detector counts the gateway's connections as up;
 * when the gateway dies the beats stop and its connections count as down once the lease runs out (no
 * user looks online behind a crashed gateway). Each start is a new incarnation.
 */
public final class GatewayHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHeartbeat.class);

    private final String gatewayId;
    private final String incarnation = UUID.randomUUID().toString();
    private final ScheduledExecutorService timer;

    private GatewayHeartbeat(String gatewayId) {
        this.gatewayId = gatewayId;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "impush-heartbeat-" + gatewayId);
            t.setDaemon(true);
            return t;
        });
    }

    static GatewayHeartbeat start(ImpushClient client, String gatewayId, Duration lease, Clock clock) {
        long seconds = lease.toSeconds();
        if (seconds < 3 || seconds > GatewayLease.MAX_LEASE_SECONDS) {
            throw new IllegalArgumentException("a lease of 3 s to " + GatewayLease.MAX_LEASE_SECONDS + " s: " + lease);
        }
        GatewayHeartbeat h = new GatewayHeartbeat(gatewayId);
        // the first beat is sent (and checked) before this returns: a wrong id fails here, not in a timer
        client.send(GatewayLease.of(gatewayId, seconds, clock.instant(), h.incarnation)).join();
        long period = lease.toMillis() / 3;
        h.timer.scheduleAtFixedRate(() -> client.send(GatewayLease.of(gatewayId, seconds, clock.instant(), h.incarnation))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.warn("heartbeat of gateway {} not sent: {}", gatewayId, error.toString());
                    }
                }), period, period, TimeUnit.MILLISECONDS);
        return h;
    }

    /** This run's incarnation: put it on the gateway's {@link ImEvents#online} events. */
    public String incarnation() {
        return incarnation;
    }

    public String gatewayId() {
        return gatewayId;
    }

    /** Stops beating; the lease runs out on its own (the gateway's connections then count as down). */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}

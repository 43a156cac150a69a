package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserDevices;
import dev.impush.model.Tokens;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.feedback.InvalidTokenFeedback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Device registrations: register, unregister, and removal on a vendor's invalid-token verdict. */
final class DeviceHandler {
    static final String UNREGISTER = "unregister";
    static final String INVALID_TOKEN = "invalid-token";

    private static final Logger log = LoggerFactory.getLogger(DeviceHandler.class);

    private final UserState state;
    private final int maxDevices;
    private final DetectorMetrics metrics;

    DeviceHandler(UserState state, int maxDevices, DetectorMetrics metrics) {
        this.state = state;
        this.maxDevices = maxDevices;
        this.metrics = metrics;
    }

    void handle(DeviceEvent e) {
        UserDevices devices = state.devices(e.userId());
        switch (e.action()) {
            case REGISTER -> devices.register(RegisteredDevice.from(e), maxDevices, () -> metrics.capped("devices"))
                    .ifPresent(next -> state.put(e.userId(), next));
            case UNREGISTER -> devices.remove(e.deviceId(), e.registeredAt()).ifPresent(next -> {
                state.put(e.userId(), next);
                metrics.tokenRemoved(UNREGISTER);
            });
        }
    }

    /**
     * Removes the device only if it still holds the invalidated token and registered it no later
     * than the vendor's verdict: a token refreshed since must survive (as Signal-Server does).
     */
    void handle(InvalidTokenFeedback f) {
        UserDevices devices = state.devices(f.userId());
        RegisteredDevice device = devices.get(f.deviceId()).orElse(null);
        if (device == null || !device.token().equals(f.token())
                || device.registeredAt().isAfter(f.invalidatedAt())) {
            metrics.feedbackIgnored();
            log.debug("kept device {}/{}: feedback for token {} does not match the current registration",
                    f.userId(), f.deviceId(), Tokens.mask(f.token()));
            return;
        }
        devices.remove(f.deviceId(), f.invalidatedAt()).ifPresent(next -> {
            state.put(f.userId(), next);
            metrics.tokenRemoved(INVALID_TOKEN);
            log.info("removed device {}/{}: token {} invalid ({})", f.userId(), f.deviceId(),
                    Tokens.mask(f.token()), f.reason());
        });
    }
}

package dev.impush.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Delivery priority: {@code high} wakes the device now, {@code normal} lets the OS batch for power. */
public enum Priority {
    @JsonProperty("high") HIGH,
    @JsonProperty("normal") NORMAL
}

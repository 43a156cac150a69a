package dev.impush.worker.receipt;

import dev.impush.model.receipt.Receipt;
import java.time.Instant;

/**
 * One receipt as a vendor's callback states it: the tag the push carried, what happened, and when the
 * vendor says it happened ({@code null} when it does not say).
 */
record VendorReceipt(String tag, Receipt.Event event, Instant at) {}

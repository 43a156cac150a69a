package dev.impush.model.codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.impush.model.Contract;
import dev.impush.model.broadcast.Audience;
import dev.impush.model.broadcast.BroadcastCommand;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.ImEvent;
import dev.impush.model.feedback.Feedback;
import dev.impush.model.job.PushJob;
import dev.impush.model.receipt.Receipt;
import java.io.IOException;
import java.util.List;

/**
 * Reads and writes one contract. {@link #decode} never throws: every failure becomes
 * {@link Decoded.Invalid} with the dead-letter reason and a message naming what is wrong.
 * Thread-safe.
 */
public final class ContractCodec<T extends Contract> {
    /** Default largest record accepted: far above any real event, far below the broker's limit. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** Largest broadcast command accepted (below the broker's default 1 MiB record limit). */
    public static final int MAX_BROADCAST_BYTES = 900 * 1024;

    private final ObjectReader reader;
    private final String what;
    private final int maxBytes;

    private ContractCodec(Class<T> type, int maxBytes) {
        this.reader = Json.mapper().readerFor(type);
        this.what = type.getSimpleName();
        this.maxBytes = maxBytes;
    }

    public static ContractCodec<ImEvent> events() {
        return new ContractCodec<>(ImEvent.class, DEFAULT_MAX_BYTES);
    }

    /** Broadcast commands: up to {@value #MAX_BROADCAST_BYTES} bytes, room for a list of {@link Audience#MAX_USERS} users. */
    public static ContractCodec<BroadcastCommand> broadcasts() {
        return new ContractCodec<>(BroadcastCommand.class, MAX_BROADCAST_BYTES);
    }

    public static ContractCodec<GatewayLease> gateways() {
        return new ContractCodec<>(GatewayLease.class, DEFAULT_MAX_BYTES);
    }

    public static ContractCodec<PushJob> jobs(int maxBytes) {
        return new ContractCodec<>(PushJob.class, maxBytes);
    }

    public static ContractCodec<Feedback> feedback() {
        return new ContractCodec<>(Feedback.class, DEFAULT_MAX_BYTES);
    }

    public static ContractCodec<Receipt> receipts() {
        return new ContractCodec<>(Receipt.class, DEFAULT_MAX_BYTES);
    }

    public static ContractCodec<DeadLetter> deadLetters() {
        return new ContractCodec<>(DeadLetter.class, Integer.MAX_VALUE);
    }

    public byte[] encode(T value) {
        return Json.write(value);
    }

    public Decoded<T> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new Decoded.Invalid<>(DeadLetterReason.MALFORMED, "empty record, expected a " + what);
        }
        if (bytes.length > maxBytes) {
            return new Decoded.Invalid<>(DeadLetterReason.OVERSIZED,
                    what + " of " + bytes.length + " bytes exceeds the limit of " + maxBytes);
        }
        T value;
        try {
            value = reader.readValue(bytes);
        } catch (InvalidTypeIdException e) {
            return new Decoded.Invalid<>(DeadLetterReason.UNKNOWN_TYPE,
                    e.getTypeId() == null ? "missing 'type'" : "unknown type '" + e.getTypeId() + "'");
        } catch (MismatchedInputException | ValueInstantiationException e) {
            return new Decoded.Invalid<>(DeadLetterReason.INVALID, what + ": " + firstLine(e));
        } catch (StreamConstraintsException e) {
            return new Decoded.Invalid<>(DeadLetterReason.MALFORMED, what + ": " + firstLine(e));
        } catch (JacksonException e) {
            return new Decoded.Invalid<>(DeadLetterReason.MALFORMED, "not valid JSON: " + firstLine(e));
        } catch (IOException | RuntimeException e) {
            return new Decoded.Invalid<>(DeadLetterReason.MALFORMED, "unreadable " + what + ": " + e);
        }
        if (value == null) {
            return new Decoded.Invalid<>(DeadLetterReason.MALFORMED, "JSON null, expected a " + what);
        }
        if (value.v() != Contract.VERSION) {
            return new Decoded.Invalid<>(DeadLetterReason.UNSUPPORTED_VERSION,
                    what + " version v=" + value.v() + " is not supported (this release reads v=" + Contract.VERSION + ")");
        }
        List<String> violations = value.violations();
        if (!violations.isEmpty()) {
            return new Decoded.Invalid<>(DeadLetterReason.INVALID, what + ": " + String.join("; ", violations));
        }
        return new Decoded.Ok<>(value);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package dev.impush.worker.dedupe;

/** Redis did not answer: no dedupe decision could be made, so nothing may be sent. */
public final class DedupeUnavailableException extends Exception {
    public DedupeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

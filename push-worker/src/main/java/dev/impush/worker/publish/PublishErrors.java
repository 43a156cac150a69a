package dev.impush.worker.publish;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/** Tells a publication that can never succeed as it is from one worth trying again. */
public final class PublishErrors {
    private PublishErrors() {}

    /**
     * True when the record itself is refused (too large for the producer, the broker or the topic;
     * not serializable): sending it again cannot help, a smaller record might. Anything else
     * (broker away, leader moving, a topic not there yet, timeouts) may pass on a later try.
     */
    public static boolean refusesTheRecord(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof SerializationException || t instanceof InvalidTopicException) {
                return true;
            }
        }
        return false;
    }
}

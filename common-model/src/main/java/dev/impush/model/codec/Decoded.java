package dev.impush.model.codec;

import dev.impush.model.deadletter.DeadLetterReason;

/** The result of reading a record: a valid value, or why it is not one. Never an exception. */
public sealed interface Decoded<T> {

    record Ok<T>(T value) implements Decoded<T> {}

    /**
     * @param reason the dead-letter class
     * @param detail a sentence for humans: what is wrong and where
     */
    record Invalid<T>(DeadLetterReason reason, String detail) implements Decoded<T> {}
}

package dev.websocketstarter.test.channel;

import org.jspecify.annotations.Nullable;

/**
 * A multicast the handler under test made through its registry.
 *
 * @param subscription the subscription it went to
 * @param text its text, {@code null} for a binary one
 * @param bytes its payload, {@code null} for a text one
 */
public record Multicast(String subscription, @Nullable String text, byte @Nullable [] bytes) {

}

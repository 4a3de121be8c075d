package dev.websocketstarter.registry;

import java.time.Instant;

/**
 * A text message multicast to a subscription that keeps history.
 *
 * @param offset its place in the subscription: one more than the message before it
 * @param text the message as multicast
 * @param at when it was multicast
 */
public record HistoryMessage(long offset, String text, Instant at) {

}

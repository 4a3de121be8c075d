package dev.websocketstarter.sample.chat;

import java.time.Instant;

/**
 * A message posted to a room.
 *
 * @param from the display name of the sender
 * @param text the text
 * @param at when the server received it
 */
record ChatMessage(String from, String text, Instant at) {

}

package dev.websocketstarter.sample.chat;

import java.time.Instant;

/**
 * A message posted to a room.
 *
 * @param id the message's number in its room, by which a client that got it in the
 * history and live tells the two apart
 * @param from the display name of the sender
 * @param text the text
 * @param at when the server received it
 */
record ChatMessage(long id, String from, String text, Instant at) {

}

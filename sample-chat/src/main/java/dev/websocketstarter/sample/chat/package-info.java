/**
 * A chat on the websocket starter: each configured URL is a room.
 */
@NullMarked
package dev.websocketstarter.sample.chat;

import org.jspecify.annotations.NullMarked;

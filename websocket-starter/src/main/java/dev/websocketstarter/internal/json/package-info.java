/**
 * Binding text messages to a JSON handler's message type, and the JSON strings of the
 * starter's own messages. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.json;

import org.jspecify.annotations.NullMarked;

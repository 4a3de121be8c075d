/**
 * Binding text messages to a JSON handler's message type. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.json;

import org.jspecify.annotations.NullMarked;

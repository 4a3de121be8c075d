/**
 * Internal: the line between the starter's channels and the WebSocket transports that
 * carry them, shaped on Jetty's {@code CoreSession} and {@code FrameHandler}. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.transport;

import org.jspecify.annotations.NullMarked;

/**
 * Auto-configuration of WebSocket apps from {@code websocket.*} properties.
 */
@NullMarked
package dev.websocketstarter.autoconfigure;

import org.jspecify.annotations.NullMarked;

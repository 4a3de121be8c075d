/**
 * Channels, subscriptions and sending: the
 * {@link dev.websocketstarter.registry.ChannelRegistry} and the handler contract of a
 * WebSocket app.
 */
@NullMarked
package dev.websocketstarter.registry;

import org.jspecify.annotations.NullMarked;

/**
 * Internal: this node's channels behind the
 * {@link dev.websocketstarter.registry.ChannelRegistry}: their queues, writers, liveness,
 * subscriptions and close. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.channel;

import org.jspecify.annotations.NullMarked;

/**
 * Waits on a node's registry, so that a test never sleeps: subscriber counts, a channel's
 * subscriptions and state, and its queue written.
 */
@NullMarked
package dev.websocketstarter.test.registry;

import org.jspecify.annotations.NullMarked;

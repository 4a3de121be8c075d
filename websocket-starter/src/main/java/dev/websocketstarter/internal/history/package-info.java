/**
 * The messages subscriptions keep, their offsets and epochs, and the recovery of what a
 * reconnecting client missed. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.history;

import org.jspecify.annotations.NullMarked;

/**
 * Presence: which users join and leave which subscriptions, cluster-wide. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.presence;

import org.jspecify.annotations.NullMarked;

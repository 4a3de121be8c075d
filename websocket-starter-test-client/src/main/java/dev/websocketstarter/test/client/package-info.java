/**
 * A WebSocket client for tests of apps on the starter, with waits and assertions that
 * show what arrived when an expectation fails.
 */
@NullMarked
package dev.websocketstarter.test.client;

import org.jspecify.annotations.NullMarked;

/**
 * Test auto-configuration: a
 * {@link dev.websocketstarter.test.autoconfigure.WebSocketTestClients} bound to the
 * test's server port.
 */
@NullMarked
package dev.websocketstarter.test.autoconfigure;

import org.jspecify.annotations.NullMarked;

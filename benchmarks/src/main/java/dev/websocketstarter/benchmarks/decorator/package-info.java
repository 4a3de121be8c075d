/**
 * Baseline: a relay on Spring's raw {@code WebSocketHandler} with
 * {@code ConcurrentWebSocketSessionDecorator}, as the tutorials show it.
 */
@NullMarked
package dev.websocketstarter.benchmarks.decorator;

import org.jspecify.annotations.NullMarked;

/**
 * Baseline: Spring's STOMP over WebSocket with the simple broker.
 */
@NullMarked
package dev.websocketstarter.benchmarks.stomp;

import org.jspecify.annotations.NullMarked;

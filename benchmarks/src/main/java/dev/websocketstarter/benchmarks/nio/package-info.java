/**
 * The bare NIO relay, the fan-out floor: a WebSocket relay with no framework on one
 * selector thread.
 */
@NullMarked
package dev.websocketstarter.benchmarks.nio;

import org.jspecify.annotations.NullMarked;

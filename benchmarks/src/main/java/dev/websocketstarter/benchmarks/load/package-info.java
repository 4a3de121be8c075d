/**
 * The load tool: a lean NIO WebSocket client that holds many connections on few threads.
 */
@NullMarked
package dev.websocketstarter.benchmarks.load;

import org.jspecify.annotations.NullMarked;

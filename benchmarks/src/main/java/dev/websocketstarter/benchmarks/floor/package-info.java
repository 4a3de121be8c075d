/**
 * A Servlet upgrade with no WebSocket layer, the memory floor of the connections phase.
 */
@NullMarked
package dev.websocketstarter.benchmarks.floor;

import org.jspecify.annotations.NullMarked;

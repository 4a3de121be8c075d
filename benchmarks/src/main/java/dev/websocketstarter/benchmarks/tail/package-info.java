/**
 * Throughput of the log-view sample's tailer.
 */
@NullMarked
package dev.websocketstarter.benchmarks.tail;

import org.jspecify.annotations.NullMarked;

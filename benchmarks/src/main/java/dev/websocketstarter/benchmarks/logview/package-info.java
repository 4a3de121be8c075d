/**
 * Append-to-page latency of the log-view sample, in a real Chromium.
 */
@NullMarked
package dev.websocketstarter.benchmarks.logview;

import org.jspecify.annotations.NullMarked;

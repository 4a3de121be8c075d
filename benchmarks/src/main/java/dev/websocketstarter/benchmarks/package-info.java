/**
 * Side-by-side benchmark of the starter and the baselines users would pick instead.
 */
@NullMarked
package dev.websocketstarter.benchmarks;

import org.jspecify.annotations.NullMarked;

/**
 * The relay written with the starter: a handler bean and one configured URL.
 */
@NullMarked
package dev.websocketstarter.benchmarks.starter;

import org.jspecify.annotations.NullMarked;

/**
 * Follows log files like {@code tail -F}: complete lines, rotation, truncation and
 * resumable positions.
 */
@NullMarked
package dev.websocketstarter.sample.logview.tail;

import org.jspecify.annotations.NullMarked;

/**
 * A live log viewer on the websocket starter.
 */
@NullMarked
package dev.websocketstarter.sample.logview;

import org.jspecify.annotations.NullMarked;

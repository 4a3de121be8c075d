/**
 * Micrometer meters and the Actuator endpoint of WebSocket apps.
 */
@NullMarked
package dev.websocketstarter.actuate;

import org.jspecify.annotations.NullMarked;

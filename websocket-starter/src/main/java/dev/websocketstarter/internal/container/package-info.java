/**
 * Internal: the servlet containers' own WebSocket layers (Tomcat's JSR-356 one, Jetty's)
 * as {@link dev.websocketstarter.internal.transport.Connection}s. The only package but
 * the starter's transport that touches container classes. Not API.
 */
@NullMarked
package dev.websocketstarter.internal.container;

import org.jspecify.annotations.NullMarked;

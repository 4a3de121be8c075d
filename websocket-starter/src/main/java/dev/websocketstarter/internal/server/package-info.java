/**
 * The starter's own WebSocket transport: the opening handshake answered behind Spring's
 * handshake handler, and connections served on the Servlet upgrade API with the starter's
 * frame codec and non-blocking writes.
 */
@NullMarked
package dev.websocketstarter.internal.server;

import org.jspecify.annotations.NullMarked;

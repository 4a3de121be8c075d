/**
 * Dependency-free encoder and incremental decoder for RFC 6455 WebSocket frames.
 */
@NullMarked
package dev.websocketstarter.codec;

import org.jspecify.annotations.NullMarked;

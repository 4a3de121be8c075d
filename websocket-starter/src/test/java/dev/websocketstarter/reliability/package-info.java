/**
 * Protocol conformance and fault tests that attack a running starter over raw sockets.
 */
@NullMarked
package dev.websocketstarter.reliability;

import org.jspecify.annotations.NullMarked;

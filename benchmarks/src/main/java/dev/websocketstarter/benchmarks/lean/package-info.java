/**
 * A spike, not a baseline: a relay on the Servlet upgrade API with the starter's own
 * frame codec and no WebSocket layer of Tomcat's or Spring's.
 */
@NullMarked
package dev.websocketstarter.benchmarks.lean;

import org.jspecify.annotations.NullMarked;

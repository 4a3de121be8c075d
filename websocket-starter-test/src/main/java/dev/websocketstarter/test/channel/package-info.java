/**
 * Handler tests without a network: channels opened in-process to a handler, on a real
 * node and registry.
 */
@NullMarked
package dev.websocketstarter.test.channel;

import org.jspecify.annotations.NullMarked;

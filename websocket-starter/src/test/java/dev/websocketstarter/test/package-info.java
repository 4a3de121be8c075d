/**
 * Test apps and real WebSocket clients shared by the starter's end-to-end tests.
 */
@NullMarked
package dev.websocketstarter.test;

import org.jspecify.annotations.NullMarked;

/**
 * Typed JSON messages: handlers that receive messages bound to a type, and a sender that
 * writes objects as JSON, with Jackson's {@code JsonMapper}.
 */
@NullMarked
package dev.websocketstarter.json;

import org.jspecify.annotations.NullMarked;

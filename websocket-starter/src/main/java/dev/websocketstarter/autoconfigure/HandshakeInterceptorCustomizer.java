package dev.websocketstarter.autoconfigure;

import java.util.List;

import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Adds handshake interceptors to an app, to inspect or refuse a handshake before the
 * upgrade, or to copy what it carries into the session's attributes. Every customizer
 * bean is applied, in {@link org.springframework.core.annotation.Order @Order}, to every
 * app that is on.
 */
@FunctionalInterface
public interface HandshakeInterceptorCustomizer {

	/**
	 * Customize the interceptors of one app.
	 * @param app the app's name, as configured under {@code websocket.apps}
	 * @param interceptors the interceptors, in the order they run, to change in place;
	 * the starter's own origin check and connection limit come first
	 */
	void customize(String app, List<HandshakeInterceptor> interceptors);

}

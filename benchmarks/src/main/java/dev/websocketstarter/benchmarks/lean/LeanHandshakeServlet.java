package dev.websocketstarter.benchmarks.lean;

import java.io.IOException;

import dev.websocketstarter.benchmarks.WebSocketUpgrade;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers the WebSocket opening handshake (RFC 6455 section 4.2) with the least checking
 * that keeps other requests out, then upgrades to a {@link LeanConnection}. No
 * subprotocol, extension or origin check.
 */
class LeanHandshakeServlet extends HttpServlet {

	private final transient LeanRelay relay;

	LeanHandshakeServlet(LeanRelay relay) {
		this.relay = relay;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		String key = request.getHeader("Sec-WebSocket-Key");
		if (!"GET".equals(request.getMethod()) || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
				|| !"13".equals(request.getHeader("Sec-WebSocket-Version")) || key == null || key.isBlank()) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
			return;
		}
		WebSocketUpgrade.accept(key, response);
		LeanConnection connection = request.upgrade(LeanConnection.class);
		// Tomcat calls init() once this method has returned and the 101 is out
		connection.relay(this.relay);
	}

}

package dev.websocketstarter.autoconfigure;

import java.util.Map;
import java.util.stream.Collectors;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.LocalNode;
import jakarta.servlet.ServletContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

/**
 * Maps each URL of the apps that are on to its handshake, ahead of controllers and static
 * resources, and says in one line at startup which apps are on, where, and on which
 * transport.
 */
class AppsHandlerMapping extends WebSocketHandlerMapping {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	/**
	 * Same order as Spring's {@code @EnableWebSocket} mappings.
	 */
	private static final int ORDER = 1;

	private final Map<AppSettings, LoggingHandshakeHandler> handshakeHandlers;

	AppsHandlerMapping(Map<String, Object> urlMap, Map<AppSettings, LoggingHandshakeHandler> handshakeHandlers) {
		this.handshakeHandlers = handshakeHandlers;
		setUrlMap(urlMap);
		setOrder(ORDER);
	}

	@Override
	protected void initServletContext(ServletContext servletContext) {
		// Tells each app's handshake handler the container, which decides its transport
		super.initServletContext(servletContext);
		if (this.handshakeHandlers.isEmpty()) {
			logger.info("No WebSocket app is on: none under websocket.apps has urls");
			return;
		}
		logger.info("WebSocket apps on: " + this.handshakeHandlers.entrySet()
			.stream()
			.map((app) -> app.getKey().name() + " at " + String.join(", ", app.getKey().urls()) + " on "
					+ app.getValue().describeTransport())
			.collect(Collectors.joining("; ")));
	}

}

package dev.websocketstarter.autoconfigure;

import java.util.Map;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.LocalNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Refuses handshakes from origins the app does not allow with 403, and says why in the
 * log.
 */
class OriginCheckInterceptor extends OriginHandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final String app;

	private final AppStats stats;

	OriginCheckInterceptor(AppSettings app, AppStats stats) {
		this.app = app.name();
		this.stats = stats;
		setAllowedOriginPatterns(app.allowedOrigins());
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		boolean allowed = super.beforeHandshake(request, response, wsHandler, attributes);
		if (!allowed) {
			this.stats.handshakeRefused(AppStats.HandshakeRefusal.ORIGIN);
			logger.info("Refused handshake to " + request.getURI().getPath() + " from " + request.getRemoteAddress()
					+ " with 403: Origin " + request.getHeaders().getOrigin() + " is not allowed; allow it with"
					+ " websocket.apps." + this.app + ".allowed-origins");
		}
		return allowed;
	}

}

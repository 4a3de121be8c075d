package dev.websocketstarter.autoconfigure;

import java.util.Map;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.LocalNode;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses handshakes with 503 before the upgrade while the app holds
 * {@code max-connections} channels.
 */
class ConnectionLimitInterceptor implements HandshakeInterceptor {

	private final LocalNode node;

	private final AppSettings app;

	private final RefusalLog refusals;

	ConnectionLimitInterceptor(LocalNode node, AppSettings app, RefusalLog refusals) {
		this.node = node;
		this.app = app;
		this.refusals = refusals;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.node.stats().channels(this.app.name()) < this.app.maxConnections()) {
			return true;
		}
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		this.node.stats().app(this.app.name()).handshakeRefused(AppStats.HandshakeRefusal.MAX_CONNECTIONS);
		this.refusals.refused(request, 503,
				"app '" + this.app.name() + "' holds max-connections " + this.app.maxConnections()
						+ " channels; raise websocket.apps." + this.app.name()
						+ ".max-connections if the node can take more",
				null);
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}

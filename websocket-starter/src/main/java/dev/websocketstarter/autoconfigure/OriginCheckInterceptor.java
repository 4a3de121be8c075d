package dev.websocketstarter.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Refuses handshakes with 403, saying why in the log, to a host name not among
 * {@code websocket.allowed-hosts} when it is set, and from origins the app does not
 * allow.
 */
class OriginCheckInterceptor extends OriginHandshakeInterceptor {

	private final String app;

	private final AppStats stats;

	private final RefusalLog refusals;

	private final Set<String> allowedHosts;

	OriginCheckInterceptor(AppSettings app, AppStats stats, RefusalLog refusals, List<String> allowedHosts) {
		this.app = app.name();
		this.stats = stats;
		this.refusals = refusals;
		this.allowedHosts = allowedHosts.stream()
			.map((host) -> host.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		setAllowedOriginPatterns(app.allowedOrigins());
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		String host = request.getURI().getHost();
		if (!this.allowedHosts.isEmpty()
				&& (host == null || !this.allowedHosts.contains(host.toLowerCase(Locale.ROOT)))) {
			response.setStatusCode(HttpStatus.FORBIDDEN);
			this.stats.handshakeRefused(AppStats.HandshakeRefusal.HOST);
			this.refusals.refused(request, 403, "Host " + RefusalLog.value(host)
					+ " is not one of websocket.allowed-hosts; add it there if the server answers to it", null);
			return false;
		}
		boolean allowed = super.beforeHandshake(request, response, wsHandler, attributes);
		if (!allowed) {
			this.stats.handshakeRefused(AppStats.HandshakeRefusal.ORIGIN);
			this.refusals.refused(request, 403, "Origin " + RefusalLog.value(request.getHeaders().getOrigin())
					+ " is not allowed; allow it with websocket.apps." + this.app + ".allowed-origins", null);
		}
		return allowed;
	}

}

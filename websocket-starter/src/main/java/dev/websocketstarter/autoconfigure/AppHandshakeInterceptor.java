package dev.websocketstarter.autoconfigure;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.internal.channel.AcceptedHandshake;
import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.AppStats.HandshakeRefusal;
import dev.websocketstarter.internal.channel.LoginSession;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.HandshakeDecision;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Lets the app decide about a handshake to one of its URLs before the upgrade: its
 * {@link HandshakeAuthorizer}s, then its handler's {@code onHandshake}. A refusal is
 * answered with its status and logged with its reason; an acceptance leaves the
 * {@link Handshake}, the channel's attributes and the login session for the channel.
 */
class AppHandshakeInterceptor implements HandshakeInterceptor {

	private final AppSettings app;

	private final String url;

	private final AppStats stats;

	private final RefusalLog refusals;

	private final List<HandshakeAuthorizer> authorizers;

	private final ChannelHandler handler;

	AppHandshakeInterceptor(AppSettings app, String url, AppStats stats, RefusalLog refusals,
			List<HandshakeAuthorizer> authorizers, ChannelHandler handler) {
		this.app = app;
		this.url = url;
		this.stats = stats;
		this.refusals = refusals;
		this.authorizers = List.copyOf(authorizers);
		this.handler = handler;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		// The request's headers are a view of the Servlet request, which the container
		// recycles after the handshake
		Handshake handshake = Handshake.of(this.url, request.getURI(), request.getPrincipal(),
				HttpHeaders.copyOf(request.getHeaders()), request.getRemoteAddress());
		Map<ChannelAttribute<?>, Object> channelAttributes = new LinkedHashMap<>();
		try {
			for (HandshakeAuthorizer authorizer : this.authorizers) {
				if (!decided(authorizer.authorize(handshake), channelAttributes, request, response)) {
					return false;
				}
			}
			if (!decided(this.handler.onHandshake(handshake), channelAttributes, request, response)) {
				return false;
			}
		}
		catch (RuntimeException ex) {
			response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
			this.stats.handshakeRefused(HandshakeRefusal.APP);
			this.refusals.refused(request, 500, "deciding about it failed in app '" + this.app.name() + "'", ex);
			return false;
		}
		attributes.put(AcceptedHandshake.ATTRIBUTE,
				new AcceptedHandshake(handshake, channelAttributes, loginSession(request, handshake.principal())));
		return true;
	}

	private boolean decided(@Nullable HandshakeDecision decision, Map<ChannelAttribute<?>, Object> channelAttributes,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (decision == null) {
			throw new IllegalStateException("A handshake decision must not be null; return HandshakeDecision.accept()");
		}
		if (decision.isAccepted()) {
			channelAttributes.putAll(decision.attributes());
			return true;
		}
		HttpStatus status = decision.status();
		response.setStatusCode((status != null) ? status : HttpStatus.FORBIDDEN);
		if (decision.retryAfter() != null) {
			// Whole seconds, rounded up: 0 would invite a retry at once
			response.getHeaders()
				.set("Retry-After", Long.toString(Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000)));
		}
		this.stats.handshakeRefused(HandshakeRefusal.APP);
		this.refusals.refused(request, (status != null) ? status.value() : 403,
				"app '" + this.app.name() + "' refused it: " + RefusalLog.value(decision.reason()), null);
		return false;
	}

	/**
	 * The authenticated HTTP session the handshake came with, if the app's channels close
	 * with it.
	 */
	private @Nullable LoginSession loginSession(ServerHttpRequest request, @Nullable Principal principal) {
		if (!this.app.closeWithSession() || principal == null
				|| !(request instanceof ServletServerHttpRequest servletRequest)) {
			return null;
		}
		HttpSession session = servletRequest.getServletRequest().getSession(false);
		if (session == null) {
			return null;
		}
		return new LoginSession(session.getId(), () -> currentId(session));
	}

	private static @Nullable String currentId(HttpSession session) {
		try {
			// Throws once the session was invalidated
			session.getCreationTime();
			return session.getId();
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}

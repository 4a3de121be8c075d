package dev.websocketstarter.autoconfigure;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.internal.channel.AcceptedHandshake;
import dev.websocketstarter.internal.channel.AppSettings;
import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.AppStats.HandshakeRefusal;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.channel.LoginSession;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.HandshakeAuthorizer;
import dev.websocketstarter.registry.HandshakeDecision;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	/** The most characters of a refusal's reason that are logged. */
	private static final int MAX_LOGGED_REASON = 200;

	private final AppSettings app;

	private final String url;

	private final AppStats stats;

	private final List<HandshakeAuthorizer> authorizers;

	private final ChannelHandler handler;

	AppHandshakeInterceptor(AppSettings app, String url, AppStats stats, List<HandshakeAuthorizer> authorizers,
			ChannelHandler handler) {
		this.app = app;
		this.url = url;
		this.stats = stats;
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
			logger.warn("Refused handshake to " + request.getURI().getPath() + " from " + request.getRemoteAddress()
					+ " with 500: deciding about it failed in app '" + this.app.name() + "'", ex);
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
			response.getHeaders().set("Retry-After", Long.toString(decision.retryAfter().toSeconds()));
		}
		this.stats.handshakeRefused(HandshakeRefusal.APP);
		logger.info("Refused handshake to " + request.getURI().getPath() + " from " + request.getRemoteAddress()
				+ " with " + ((status != null) ? status.value() : 403) + ": app '" + this.app.name() + "' refused it: "
				+ loggable(decision.reason()));
		return false;
	}

	/**
	 * A reason as it may go to the log: on one line, and short, as it may quote what a
	 * client sent.
	 */
	static String loggable(String reason) {
		StringBuilder text = new StringBuilder(Math.min(reason.length(), MAX_LOGGED_REASON + 1));
		reason.codePoints()
			.limit(MAX_LOGGED_REASON)
			.forEach((codePoint) -> text.appendCodePoint(Character.isISOControl(codePoint) ? '?' : codePoint));
		if (reason.codePointCount(0, reason.length()) > MAX_LOGGED_REASON) {
			text.append('…');
		}
		return text.toString();
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

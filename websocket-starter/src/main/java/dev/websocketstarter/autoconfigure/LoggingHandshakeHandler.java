package dev.websocketstarter.autoconfigure;

import java.util.Base64;
import java.util.Map;

import dev.websocketstarter.internal.channel.AppStats;
import dev.websocketstarter.internal.channel.AppStats.HandshakeRefusal;
import dev.websocketstarter.internal.server.ServletUpgradeStrategy;
import jakarta.servlet.ServletContext;
import org.jspecify.annotations.Nullable;

import org.springframework.context.Lifecycle;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Spring's handshake handler, saying at INFO why it refused a handshake; Spring itself
 * says so only at DEBUG. It upgrades as the {@link TransportChoice} for the container
 * says, once the container is known.
 */
class LoggingHandshakeHandler implements HandshakeHandler, Lifecycle, ServletContextAware {

	private static final String KEY_HEADER = "Sec-WebSocket-Key";

	private static final String HTTP_1_0 = "HTTP/1.0";

	private static final String HTTP_0_9 = "HTTP/0.9";

	/** RFC 6455 section 4.1: the key is a random 16-byte value in base64. */
	private static final int KEY_BYTES = 16;

	private final String app;

	private final AppStats stats;

	private final RefusalLog refusals;

	private final @Nullable ServletUpgradeStrategy starterStrategy;

	private final long maxMessageSize;

	private volatile TransportChoice transport;

	private DefaultHandshakeHandler delegate;

	private @Nullable ServletContext servletContext;

	/**
	 * Create a handler.
	 * @param app the app's name
	 * @param stats the app's statistics
	 * @param refusals where refused handshakes are logged
	 * @param starterStrategy the starter's transport, or {@code null} for the container's
	 * WebSocket layer
	 * @param maxMessageSize the app's largest inbound message, for a container's layer
	 * with a limit of its own
	 */
	LoggingHandshakeHandler(String app, AppStats stats, RefusalLog refusals,
			@Nullable ServletUpgradeStrategy starterStrategy, long maxMessageSize) {
		this.app = app;
		this.stats = stats;
		this.refusals = refusals;
		this.starterStrategy = starterStrategy;
		this.maxMessageSize = maxMessageSize;
		// Until the container is known, as in a test without a Servlet context
		this.transport = TransportChoice.of(starterStrategy, maxMessageSize, null);
		this.delegate = this.transport.handshakeHandler();
	}

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		String key = request.getHeaders().getFirst(KEY_HEADER);
		if (HttpMethod.GET.equals(request.getMethod()) && key != null && !isValidKey(key)) {
			// Spring checks only that there is a key; the container's WebSocket layer
			// checked the rest
			return refuseBadRequest(request, response, KEY_HEADER + " is not 16 bytes in base64");
		}
		String protocol = (request instanceof ServletServerHttpRequest servletRequest)
				? servletRequest.getServletRequest().getProtocol() : null;
		if (HTTP_1_0.equals(protocol) || HTTP_0_9.equals(protocol)) {
			// RFC 6455 section 4.1; neither Spring nor the containers check it
			return refuseBadRequest(request, response, protocol + " cannot upgrade to WebSocket, HTTP/1.1 can");
		}
		boolean accepted = this.delegate.doHandshake(request, response, wsHandler, attributes);
		if (!accepted) {
			int status = (response instanceof ServletServerHttpResponse servletResponse)
					? servletResponse.getServletResponse().getStatus() : 0;
			HandshakeRefusal refusal = switch (status) {
				case 405 -> HandshakeRefusal.METHOD;
				case 426 -> HandshakeRefusal.VERSION;
				default -> HandshakeRefusal.BAD_REQUEST;
			};
			this.stats.handshakeRefused(refusal);
			this.refusals.refused(request, status, reason(request, refusal), null);
		}
		return accepted;
	}

	private boolean refuseBadRequest(ServerHttpRequest request, ServerHttpResponse response, String why) {
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		this.stats.handshakeRefused(HandshakeRefusal.BAD_REQUEST);
		this.refusals.refused(request, 400, why, null);
		return false;
	}

	private static boolean isValidKey(String key) {
		try {
			return Base64.getDecoder().decode(key.trim()).length == KEY_BYTES;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String reason(ServerHttpRequest request, HandshakeRefusal refusal) {
		return switch (refusal) {
			case METHOD -> "method " + RefusalLog.value(request.getMethod().name()) + " is not GET";
			case VERSION ->
				"Sec-WebSocket-Version " + RefusalLog.value(request.getHeaders().getFirst("Sec-WebSocket-Version"))
						+ " is not supported, only 13";
			default -> "not a valid WebSocket upgrade (check the Upgrade, Connection and Sec-WebSocket-Key headers)";
		};
	}

	/**
	 * Whether handshakes go to the container's WebSocket layer rather than the starter's
	 * transport.
	 */
	boolean isContainerLayer() {
		return this.transport.containerLayer();
	}

	/**
	 * Which transport serves the app, and why when it is not the one configured.
	 */
	String describeTransport() {
		return this.transport.description();
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		// Called once for each URL of the app, which share this handler
		if (servletContext == this.servletContext) {
			return;
		}
		this.servletContext = servletContext;
		TransportChoice transport = TransportChoice.of(this.starterStrategy, this.maxMessageSize, servletContext);
		DefaultHandshakeHandler delegate = transport.handshakeHandler();
		this.transport = transport;
		// Before start(): Spring's handler mapping passes the context on at
		// initialization
		delegate.setServletContext(servletContext);
		this.delegate = delegate;
	}

	@Override
	public void start() {
		this.delegate.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
	}

	@Override
	public boolean isRunning() {
		return this.delegate.isRunning();
	}

}

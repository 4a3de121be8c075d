package dev.websocketstarter.autoconfigure;

import java.util.Base64;
import java.util.Map;

import dev.websocketstarter.registry.AppStats;
import dev.websocketstarter.registry.AppStats.HandshakeRefusal;
import dev.websocketstarter.registry.LocalChannelRegistry;
import jakarta.servlet.ServletContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.Lifecycle;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Spring's handshake handler, saying at INFO why it refused a handshake; Spring itself
 * says so only at DEBUG.
 */
class LoggingHandshakeHandler implements HandshakeHandler, Lifecycle, ServletContextAware {

	private static final Log logger = LogFactory.getLog(LocalChannelRegistry.LOG_CATEGORY);

	private static final String KEY_HEADER = "Sec-WebSocket-Key";

	/** RFC 6455 section 4.1: the key is a random 16-byte value in base64. */
	private static final int KEY_BYTES = 16;

	private final DefaultHandshakeHandler delegate;

	private final AppStats stats;

	/**
	 * Create a handler.
	 * @param stats the app's statistics
	 * @param upgradeStrategy the strategy that upgrades accepted handshakes, or
	 * {@code null} for the container's WebSocket layer
	 */
	LoggingHandshakeHandler(AppStats stats, @Nullable RequestUpgradeStrategy upgradeStrategy) {
		this.delegate = (upgradeStrategy != null) ? new DefaultHandshakeHandler(upgradeStrategy)
				: new DefaultHandshakeHandler();
		this.stats = stats;
	}

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		String key = request.getHeaders().getFirst(KEY_HEADER);
		if (HttpMethod.GET.equals(request.getMethod()) && key != null && !isValidKey(key)) {
			// Spring checks only that there is a key; the container's WebSocket layer
			// checked the rest
			response.setStatusCode(HttpStatus.BAD_REQUEST);
			this.stats.handshakeRefused(HandshakeRefusal.BAD_REQUEST);
			logger.info("Refused handshake to " + request.getURI().getPath() + " from " + request.getRemoteAddress()
					+ " with 400: " + KEY_HEADER + " is not 16 bytes in base64");
			return false;
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
			logger.info("Refused handshake to " + request.getURI().getPath() + " from " + request.getRemoteAddress()
					+ " with " + status + ": " + reason(request, refusal));
		}
		return accepted;
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
			case METHOD -> "method " + request.getMethod() + " is not GET";
			case VERSION -> "Sec-WebSocket-Version " + request.getHeaders().getFirst("Sec-WebSocket-Version")
					+ " is not supported, only 13";
			default -> "not a valid WebSocket upgrade (check the Upgrade, Connection and Sec-WebSocket-Key headers)";
		};
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		this.delegate.setServletContext(servletContext);
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

package dev.websocketstarter.autoconfigure;

import java.util.Map;

import dev.websocketstarter.registry.AppStats;
import dev.websocketstarter.registry.AppStats.HandshakeRefusal;
import dev.websocketstarter.registry.LocalChannelRegistry;
import jakarta.servlet.ServletContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.Lifecycle;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Spring's handshake handler, saying at INFO why it refused a handshake; Spring itself
 * says so only at DEBUG.
 */
class LoggingHandshakeHandler implements HandshakeHandler, Lifecycle, ServletContextAware {

	private static final Log logger = LogFactory.getLog(LocalChannelRegistry.LOG_CATEGORY);

	private final DefaultHandshakeHandler delegate = new DefaultHandshakeHandler();

	private final AppStats stats;

	LoggingHandshakeHandler(AppStats stats) {
		this.stats = stats;
	}

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
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

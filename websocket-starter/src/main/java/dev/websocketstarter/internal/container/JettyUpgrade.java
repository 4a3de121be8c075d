package dev.websocketstarter.internal.container;

import java.time.Duration;

import jakarta.servlet.ServletContext;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;

/**
 * Jetty's WebSocket layer, set up as the starter's apps expect: messages up to the app's
 * {@code max-message-size}, where Jetty's default is 64 KiB, and no idle timeout, where
 * Jetty's closes a connection after 30 s without traffic; {@code ping-interval} is the
 * starter's liveness check. Referenced only once Jetty is known to be there.
 */
public final class JettyUpgrade {

	private static final String CONFIGURABLE = "org.eclipse.jetty.websocket.api.Configurable";

	private JettyUpgrade() {
	}

	/**
	 * Whether a Servlet context runs on Jetty, with its WebSocket API at hand.
	 * @param servletContext the context
	 * @return whether {@link #strategy(long)} may be called
	 */
	public static boolean isJetty(ServletContext servletContext) {
		return servletContext.getServerInfo().regionMatches(true, 0, "jetty", 0, 5)
				&& ClassUtils.isPresent(CONFIGURABLE, JettyUpgrade.class.getClassLoader());
	}

	/**
	 * Jetty's upgrade strategy, set up for an app.
	 * @param maxMessageSize the app's largest inbound message
	 * @return the strategy
	 */
	public static RequestUpgradeStrategy strategy(long maxMessageSize) {
		JettyRequestUpgradeStrategy strategy = new JettyRequestUpgradeStrategy();
		strategy.addWebSocketConfigurer((configurable) -> {
			configurable.setMaxTextMessageSize(maxMessageSize);
			configurable.setMaxBinaryMessageSize(maxMessageSize);
			configurable.setIdleTimeout(Duration.ZERO);
		});
		return strategy;
	}

}

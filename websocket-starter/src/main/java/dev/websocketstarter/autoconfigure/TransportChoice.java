package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.internal.container.JettyUpgrade;
import dev.websocketstarter.internal.server.ServletUpgradeStrategy;
import jakarta.servlet.ServletContext;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Which WebSocket implementation serves an app on a container: the starter's transport
 * where the app may use it and the container is one it
 * {@linkplain ServletUpgradeStrategy#supports supports}, Jetty's layer set up as the
 * starter's apps expect on Jetty, the container's own layer elsewhere.
 *
 * @param upgradeStrategy the strategy to upgrade with, {@code null} for the one Spring
 * picks for the container
 * @param containerLayer whether it is the container's WebSocket layer
 * @param description what serves the app, and why when it is not what was configured
 */
record TransportChoice(@Nullable RequestUpgradeStrategy upgradeStrategy, boolean containerLayer, String description) {

	/**
	 * Choose for a container.
	 * @param starterStrategy the starter's transport, or {@code null} when the app is
	 * served by the container's layer whatever the container
	 * @param maxMessageSize the app's largest inbound message, for a container's layer
	 * with a limit of its own
	 * @param servletContext the container's context, {@code null} while it is not known
	 * @return the choice
	 */
	static TransportChoice of(@Nullable ServletUpgradeStrategy starterStrategy, long maxMessageSize,
			@Nullable ServletContext servletContext) {
		if (servletContext == null) {
			return (starterStrategy != null) ? new TransportChoice(starterStrategy, false, "the starter's transport")
					: new TransportChoice(null, true, "the container's WebSocket layer");
		}
		if (starterStrategy != null && ServletUpgradeStrategy.supports(servletContext)) {
			return new TransportChoice(starterStrategy, false, "the starter's transport");
		}
		String description = "the WebSocket layer of " + servletContext.getServerInfo()
				+ ((starterStrategy != null) ? " (the starter's transport runs on Tomcat only)" : "");
		return new TransportChoice(JettyUpgrade.isJetty(servletContext) ? JettyUpgrade.strategy(maxMessageSize) : null,
				true, description);
	}

	/**
	 * A handshake handler that upgrades as chosen.
	 * @return a new handler
	 */
	DefaultHandshakeHandler handshakeHandler() {
		RequestUpgradeStrategy upgradeStrategy = this.upgradeStrategy;
		return (upgradeStrategy != null) ? new DefaultHandshakeHandler(upgradeStrategy) : new DefaultHandshakeHandler();
	}

}

package dev.websocketstarter.internal.channel;

import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.ConnectionAcceptor;
import dev.websocketstarter.internal.transport.ConnectionHandler;
import dev.websocketstarter.registry.ChannelHandler;

/**
 * Takes each connection of one URL of an app as a channel of this node, whose events go
 * to the app's {@link ChannelHandler}.
 */
final class ChannelAcceptor implements ConnectionAcceptor {

	private final LocalNode node;

	private final AppSettings app;

	private final String url;

	private final ChannelHandler handler;

	ChannelAcceptor(LocalNode node, AppSettings app, String url, ChannelHandler handler) {
		this.node = node;
		this.app = app;
		this.url = url;
		this.handler = handler;
	}

	@Override
	public ConnectionHandler accept(Connection connection) {
		return new ChannelEvents(this.node, this.node.open(connection, this.app, this.url), this.handler);
	}

	@Override
	public String toString() {
		return "ChannelAcceptor[app=" + this.app.name() + ", url=" + this.url + "]";
	}

}

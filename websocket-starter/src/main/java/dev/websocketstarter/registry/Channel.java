package dev.websocketstarter.registry;

import org.springframework.util.Assert;

/**
 * Handle of one WebSocket connection: a small immutable value that can be printed, used
 * as a map key and kept after the connection closed.
 * <p>
 * A handle is unique across the nodes of a deployment: {@code node} names the node that
 * holds the connection and {@code id} counts connections on that node.
 *
 * @param app the name of the app the channel belongs to
 * @param node the identifier of the node that holds the connection
 * @param id the number of the connection on its node
 */
public record Channel(String app, String node, long id) {

	/**
	 * Create a handle.
	 * @param app the name of the app the channel belongs to
	 * @param node the identifier of the node that holds the connection
	 * @param id the number of the connection on its node
	 */
	public Channel {
		Assert.hasText(app, "'app' must not be empty");
		Assert.hasText(node, "'node' must not be empty");
	}

	@Override
	public String toString() {
		return this.app + "#" + this.id + "@" + this.node;
	}

}

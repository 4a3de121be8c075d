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

	/**
	 * Read a handle back from its {@link #toString()} form, {@code app#id@node}.
	 * @param text the printed handle
	 * @return the handle
	 * @throws IllegalArgumentException if the text is not a printed handle
	 */
	public static Channel parse(String text) {
		int at = text.lastIndexOf('@');
		int hash = (at > 0) ? text.lastIndexOf('#', at) : -1;
		Assert.isTrue(hash > 0 && at > hash + 1 && at < text.length() - 1,
				() -> "'" + text + "' is not a channel handle such as 'chat#17@node-1'");
		try {
			return new Channel(text.substring(0, hash), text.substring(at + 1),
					Long.parseLong(text.substring(hash + 1, at)));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a channel handle such as 'chat#17@node-1'", ex);
		}
	}

	@Override
	public String toString() {
		return this.app + "#" + this.id + "@" + this.node;
	}

}

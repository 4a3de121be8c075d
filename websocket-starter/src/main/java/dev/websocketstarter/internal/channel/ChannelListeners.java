package dev.websocketstarter.internal.channel;

import java.util.Arrays;

import dev.websocketstarter.registry.Channel;

import org.springframework.web.socket.CloseStatus;

/**
 * The {@link ChannelListener}s of a node: the cluster relay's, and any a test adds to
 * watch closes. Telling them costs one volatile read when there are none. With them, the
 * {@link SubscriptionRouting} told before a channel joins a subscription and after it
 * left: the cluster relay's, none on a single node.
 */
public final class ChannelListeners {

	private volatile ChannelListener[] listeners = new ChannelListener[0];

	private volatile SubscriptionRouting routing = SubscriptionRouting.NONE;

	/**
	 * Tell a listener of every change from now on.
	 * @param listener the listener
	 */
	public synchronized void add(ChannelListener listener) {
		ChannelListener[] more = Arrays.copyOf(this.listeners, this.listeners.length + 1);
		more[more.length - 1] = listener;
		this.listeners = more;
	}

	/**
	 * Stop telling a listener.
	 * @param listener the listener, as added
	 */
	public synchronized void remove(ChannelListener listener) {
		this.listeners = Arrays.stream(this.listeners)
			.filter((added) -> added != listener)
			.toArray(ChannelListener[]::new);
	}

	/**
	 * Route the subscriptions of the node's channels from now on.
	 * @param routing told as channels join and leave subscriptions
	 */
	public void setRouting(SubscriptionRouting routing) {
		this.routing = routing;
	}

	SubscriptionRouting routing() {
		return this.routing;
	}

	void changed(Channel channel) {
		for (ChannelListener listener : this.listeners) {
			listener.channelChanged(channel);
		}
	}

	void closed(Channel channel, CloseStatus status) {
		for (ChannelListener listener : this.listeners) {
			listener.channelClosed(channel, status);
		}
	}

}

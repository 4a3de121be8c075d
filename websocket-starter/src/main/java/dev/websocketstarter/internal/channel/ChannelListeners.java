package dev.websocketstarter.internal.channel;

import java.util.Arrays;

import dev.websocketstarter.registry.Channel;

import org.springframework.web.socket.CloseStatus;

/**
 * The {@link ChannelListener}s of a node: the cluster relay's, and any a test adds to
 * watch closes. Telling them costs one volatile read when there are none.
 */
public final class ChannelListeners {

	private volatile ChannelListener[] listeners = new ChannelListener[0];

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

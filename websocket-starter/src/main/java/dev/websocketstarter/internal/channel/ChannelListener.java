package dev.websocketstarter.internal.channel;

import dev.websocketstarter.registry.Channel;

import org.springframework.web.socket.CloseStatus;

/**
 * Told when a channel of this node opens, closes, joins or leaves a subscription, or
 * changes a shared attribute, so that its state can be mirrored elsewhere (the cluster
 * relay keeps it in Redis).
 * <p>
 * Called on the thread that made the change, possibly while other changes run: an
 * implementation must be thread-safe, return quickly and never block. It should read the
 * channel's current state from the registry rather than infer it from the order of calls.
 */
@FunctionalInterface
public interface ChannelListener {

	/**
	 * A channel opened, closed, joined or left a subscription, or changed a shared
	 * attribute.
	 * @param channel the channel
	 */
	void channelChanged(Channel channel);

	/**
	 * A channel closed: called once per channel, after the {@link #channelChanged} that
	 * removed it, with the status its handler's {@code onClose} hears.
	 * @param channel the channel
	 * @param status the close status
	 */
	default void channelClosed(Channel channel, CloseStatus status) {
	}

}

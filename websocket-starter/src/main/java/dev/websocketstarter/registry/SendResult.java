package dev.websocketstarter.registry;

/**
 * What became of a message handed to {@link ChannelRegistry#send}.
 */
public enum SendResult {

	/**
	 * The message is queued and will be written by the channel's writer.
	 */
	QUEUED,

	/**
	 * The channel is closed, closing or unknown: nothing was queued.
	 */
	CLOSED,

	/**
	 * The channel's send buffer or send time limit was exceeded under the {@code close}
	 * overflow policy: the message was not queued and the channel is being closed.
	 */
	REJECTED;

	/**
	 * Whether the message was queued.
	 * @return {@code true} for {@link #QUEUED}
	 */
	public boolean isQueued() {
		return this == QUEUED;
	}

}

package dev.websocketstarter.registry;

import java.util.List;

/**
 * Messages a subscription kept, as {@link ChannelRegistry#history} read them.
 * <p>
 * Each text message multicast to a subscription that keeps history gets the next offset.
 * The epoch names one unbroken run of offsets: it changes when the history is lost (a
 * restart without the cluster, a Redis flush), so an offset means something only with its
 * epoch.
 *
 * @param subscription the subscription
 * @param epoch the epoch of its offsets
 * @param offset the offset of the last message multicast, 0 before the first
 * @param messages the messages read, oldest first
 * @param complete whether the messages are every one since the position asked for;
 * {@code false} when the epoch changed or the position is older than what is kept, so
 * what was missed cannot be known
 */
public record History(String subscription, String epoch, long offset, List<HistoryMessage> messages, boolean complete) {

	/**
	 * Create a history, copying the messages.
	 * @param subscription the subscription
	 * @param epoch the epoch of its offsets
	 * @param offset the offset of the last message multicast
	 * @param messages the messages read
	 * @param complete whether they are every one since the position asked for
	 */
	public History {
		messages = List.copyOf(messages);
	}

}

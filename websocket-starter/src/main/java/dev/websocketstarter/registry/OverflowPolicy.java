package dev.websocketstarter.registry;

/**
 * What happens when a channel's outbound queue exceeds its send buffer limit, typically
 * because its peer reads more slowly than messages arrive.
 */
public enum OverflowPolicy {

	/**
	 * Close the channel with 1008 (policy violation), logged once. Other channels are
	 * unaffected.
	 */
	CLOSE,

	/**
	 * Drop the oldest queued messages until the queue is within its limit again, counting
	 * them; the channel stays open.
	 */
	DROP_OLDEST

}

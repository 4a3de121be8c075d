package dev.websocketstarter.registry;

/**
 * What became of a {@link ChannelRegistry#claim claim} of a value.
 */
public enum ClaimResult {

	/**
	 * The channel holds the value, until it closes or releases it.
	 */
	CLAIMED,

	/**
	 * Another open channel holds the value.
	 */
	TAKEN,

	/**
	 * The channel is not open on this node: nothing was claimed.
	 */
	CLOSED,

	/**
	 * The cluster cannot reach Redis, so no node can tell whether another holds the
	 * value: nothing was claimed. Try again later, or close the channel with 1013.
	 */
	UNAVAILABLE;

	/**
	 * Whether the channel holds the value.
	 * @return {@code true} for {@link #CLAIMED}
	 */
	public boolean isClaimed() {
		return this == CLAIMED;
	}

}

package dev.websocketstarter.internal.channel;

/**
 * Told as this node's channels join and leave subscriptions, so that the cluster relay
 * receives the multicasts of exactly the subscriptions this node has subscribers for.
 * Each {@link #joining} is followed by one {@link #left} when the channel leaves the
 * subscription, closes, or did not join after all.
 * <p>
 * Not API: the cluster relay implements it; a single node routes nothing.
 */
public interface SubscriptionRouting {

	/**
	 * Routes nothing: a single node.
	 */
	SubscriptionRouting NONE = new SubscriptionRouting() {

		@Override
		public void joining(String scope, String subscription, boolean mayWait) {
		}

		@Override
		public void left(String scope, String subscription) {
		}

	};

	/**
	 * A channel of this node is about to join a subscription: called before it is added
	 * to the subscribers and before a subscription with history reads where the channel
	 * joins, with no lock of the registry's held. Returns once this node receives the
	 * subscription's multicasts, or at once when it may not wait.
	 * @param scope the subscription scope
	 * @param subscription the subscription
	 * @param mayWait whether the caller may wait: not within a greeting, which holds the
	 * channel's locks
	 */
	void joining(String scope, String subscription, boolean mayWait);

	/**
	 * A channel of this node left a subscription it was joining or had joined.
	 * @param scope the subscription scope
	 * @param subscription the subscription
	 */
	void left(String scope, String subscription);

}

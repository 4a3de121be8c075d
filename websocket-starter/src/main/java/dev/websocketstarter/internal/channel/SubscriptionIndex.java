package dev.websocketstarter.internal.channel;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The subscribers of each subscription: who gets a multicast. A subscription without
 * subscribers is removed, so the index holds only what is in use. Thread-safe; a reader
 * iterating {@link #subscribers} sees changes made meanwhile or not, never a failure.
 *
 * @param <C> the type of the subscribers
 */
final class SubscriptionIndex<C> {

	private final Map<String, Set<C>> subscribers = new ConcurrentHashMap<>();

	/**
	 * Add a subscriber.
	 * @param subscription the subscription
	 * @param subscriber the subscriber
	 */
	void add(String subscription, C subscriber) {
		this.subscribers.compute(subscription, (name, subscribers) -> {
			Set<C> result = (subscribers != null) ? subscribers : ConcurrentHashMap.newKeySet();
			result.add(subscriber);
			return result;
		});
	}

	/**
	 * Remove a subscriber, and the subscription with its last one.
	 * @param subscription the subscription
	 * @param subscriber the subscriber
	 */
	void remove(String subscription, C subscriber) {
		this.subscribers.computeIfPresent(subscription, (name, subscribers) -> {
			subscribers.remove(subscriber);
			return subscribers.isEmpty() ? null : subscribers;
		});
	}

	/**
	 * Remove a subscription with all its subscribers.
	 * @param subscription the subscription
	 * @return the subscribers it had, {@code null} when there were none
	 */
	@Nullable Set<C> removeAll(String subscription) {
		return this.subscribers.remove(subscription);
	}

	/**
	 * The live set of a subscription's subscribers, for iterating without a copy.
	 * @param subscription the subscription
	 * @return the subscribers, {@code null} when there are none
	 */
	@Nullable Set<C> subscribers(String subscription) {
		return this.subscribers.get(subscription);
	}

	/**
	 * The number of subscribers of a subscription.
	 * @param subscription the subscription
	 * @return the count, 0 for an unknown subscription
	 */
	int count(String subscription) {
		Set<C> subscribers = this.subscribers.get(subscription);
		return (subscribers != null) ? subscribers.size() : 0;
	}

	/**
	 * Every subscription with its number of subscribers.
	 * @return a snapshot, sorted by name
	 */
	Map<String, Integer> counts() {
		Map<String, Integer> counts = new TreeMap<>();
		this.subscribers.forEach((name, subscribers) -> counts.put(name, subscribers.size()));
		return counts;
	}

	/**
	 * The number of subscriptions with at least one subscriber.
	 * @return the count
	 */
	int size() {
		return this.subscribers.size();
	}

}

package dev.websocketstarter.internal.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.websocketstarter.internal.history.Histories;
import dev.websocketstarter.internal.history.RecoveryPositions;
import dev.websocketstarter.internal.history.SubscriptionHistory;
import dev.websocketstarter.registry.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Where this node's channels are: the subscribers of each subscription and the channels
 * of each user, per subscription scope. Thread-safe; the channel's own sets say what to
 * undo when it closes.
 */
final class ChannelIndex {

	/** Set while an app's greeting runs on the thread. */
	private static final ThreadLocal<Boolean> GREETING = new ThreadLocal<>();

	private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

	private final Consumer<Channel> changed;

	private final Histories histories;

	private final ChannelListeners listeners;

	/**
	 * Create an index.
	 * @param changed told of each channel that joins or leaves a subscription
	 * @param histories the histories of the subscriptions that keep one, which a channel
	 * joins under their lock
	 * @param listeners holds the routing told as channels join and leave subscriptions
	 */
	ChannelIndex(Consumer<Channel> changed, Histories histories, ChannelListeners listeners) {
		this.changed = changed;
		this.histories = histories;
		this.listeners = listeners;
	}

	private Scope scope(String scope) {
		return this.scopes.computeIfAbsent(scope, (name) -> new Scope());
	}

	/**
	 * Subscribe an open channel in its scope; with a greeting, made after it joined and
	 * queued before anything sent to it since. The {@link SubscriptionRouting} hears of
	 * it before it joins, and may make this wait until this node receives the
	 * subscription's multicasts.
	 * @param greeting makes the channel's first messages, or {@code null}
	 * @return whether it was open and not subscribed yet, and is now
	 */
	boolean subscribe(LocalChannel channel, String subscription, @Nullable Supplier<? extends List<String>> greeting) {
		// The channel's own set claims the subscription, so two calls greet it once
		if (!channel.isOpen() || !channel.subscriptions.add(subscription)) {
			return false;
		}
		// A greeting that subscribes holds the channel's locks: it does not wait
		this.listeners.routing().joining(channel.scope, subscription, GREETING.get() == null);
		SubscriptionIndex<LocalChannel> subscribers = scope(channel.scope).subscriptions;
		SubscriptionHistory history = this.histories.find(channel.scope, subscription);
		if (greeting != null || history != null) {
			Supplier<? extends List<String>> greets = (greeting != null) ? greeting(greeting) : null;
			try {
				if (history != null) {
					// The history's frames follow the app's greeting, all before any
					// multicast after
					// Half the send buffer: the greeting and live messages need room too
					this.histories.join(history, subscription, channel.attributes.get(RecoveryPositions.ATTRIBUTE),
							channel.app.sendBufferLimit().toBytes() / 2, (frames) -> channel
								.greet(() -> subscribers.add(subscription, channel), () -> withFrames(greets, frames)));
				}
				else if (greets != null) {
					channel.greet(() -> subscribers.add(subscription, channel), greets);
				}
			}
			catch (RuntimeException ex) {
				// Not greeted: not subscribed, so that a retry greets
				subscribers.remove(subscription, channel);
				leave(channel, subscription);
				throw ex;
			}
		}
		else {
			subscribers.add(subscription, channel);
		}
		// Unsubscribed meanwhile, or closed by a close that may have missed this
		// subscription
		if (!channel.subscriptions.contains(subscription) || !channel.isOpen()) {
			subscribers.remove(subscription, channel);
			leave(channel, subscription);
			return false;
		}
		this.changed.accept(channel.handle);
		return true;
	}

	/**
	 * Take back a subscription the channel claimed, unless an unsubscribe did already.
	 */
	private void leave(LocalChannel channel, String subscription) {
		if (channel.subscriptions.remove(subscription)) {
			this.listeners.routing().left(channel.scope, subscription);
		}
	}

	/**
	 * The app's greeting, marked as one while it runs.
	 */
	private static Supplier<List<String>> greeting(Supplier<? extends List<String>> greeting) {
		return () -> {
			Boolean outer = GREETING.get();
			GREETING.set(Boolean.TRUE);
			try {
				return greeting.get();
			}
			finally {
				if (outer == null) {
					GREETING.remove();
				}
			}
		};
	}

	private static List<String> withFrames(@Nullable Supplier<? extends List<String>> greeting, List<String> frames) {
		if (greeting == null) {
			return frames;
		}
		List<String> all = new ArrayList<>(greeting.get());
		all.addAll(frames);
		return all;
	}

	boolean unsubscribe(LocalChannel channel, String subscription) {
		if (!channel.subscriptions.remove(subscription)) {
			return false;
		}
		this.listeners.routing().left(channel.scope, subscription);
		scope(channel.scope).subscriptions.remove(subscription, channel);
		this.changed.accept(channel.handle);
		return true;
	}

	@Nullable Set<LocalChannel> subscribers(String scope, String subscription) {
		Scope index = this.scopes.get(scope);
		return (index != null) ? index.subscriptions.subscribers(subscription) : null;
	}

	boolean hasSubscribers(String scope, String subscription) {
		return subscriberCount(scope, subscription) > 0;
	}

	int subscriberCount(String scope, String subscription) {
		Scope index = this.scopes.get(scope);
		return (index != null) ? index.subscriptions.count(subscription) : 0;
	}

	/**
	 * The subscriptions of a scope with their subscriber counts.
	 * @return a snapshot, sorted by name
	 */
	Map<String, Integer> subscriptionCounts(String scope) {
		Scope index = this.scopes.get(scope);
		return (index != null) ? index.subscriptions.counts() : Map.of();
	}

	/**
	 * Every subscription of every scope with its subscriber count, scope and name joined
	 * by a colon.
	 */
	Map<String, Integer> subscriptionCounts() {
		Map<String, Integer> counts = new TreeMap<>();
		this.scopes.forEach((scope, index) -> index.subscriptions.counts()
			.forEach((name, count) -> counts.put(scope + ":" + name, count)));
		return counts;
	}

	int subscriptionCount() {
		int count = 0;
		for (Scope index : this.scopes.values()) {
			count += index.subscriptions.size();
		}
		return count;
	}

	/**
	 * Count a channel among its user's; a channel without a user is not counted.
	 */
	void addUser(LocalChannel channel) {
		String user = channel.user;
		if (user != null) {
			scope(channel.scope).users.add(user, channel);
			if (channel.state() == LocalChannel.CLOSED) {
				// Closed meanwhile, after it was forgotten
				scope(channel.scope).users.remove(user, channel);
			}
		}
	}

	@Nullable Set<LocalChannel> userChannels(String scope, String user) {
		Scope index = this.scopes.get(scope);
		return (index != null) ? index.users.subscribers(user) : null;
	}

	/**
	 * Take a channel out of everything: it closed.
	 */
	void remove(LocalChannel channel) {
		for (String subscription : channel.subscriptions) {
			unsubscribe(channel, subscription);
		}
		String user = channel.user;
		if (user != null) {
			scope(channel.scope).users.remove(user, channel);
		}
	}

	/**
	 * The subscribers and users of one scope.
	 */
	private static final class Scope {

		final SubscriptionIndex<LocalChannel> subscriptions = new SubscriptionIndex<>();

		final SubscriptionIndex<LocalChannel> users = new SubscriptionIndex<>();

	}

}

package dev.websocketstarter.internal.channel;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Where this node's channels are: the subscribers of each subscription and the channels
 * of each user, per subscription scope, and the channels of each login session.
 * Thread-safe; the channel's own sets say what to undo when it closes.
 */
final class ChannelIndex {

	private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

	private final SubscriptionIndex<LocalChannel> sessions = new SubscriptionIndex<>();

	private Scope scope(String scope) {
		return this.scopes.computeIfAbsent(scope, (name) -> new Scope());
	}

	/**
	 * Subscribe a channel in its scope, once it was greeted: a multicast that finds it
	 * among the subscribers comes after the greeting.
	 * @param greet queues the greeting; {@code false} when the channel closed meanwhile
	 * @return whether it was not subscribed yet, and greeted
	 */
	boolean subscribe(LocalChannel channel, String subscription, BooleanSupplier greet) {
		// The channel's own set claims the subscription, so two calls greet it once
		if (!channel.subscriptions.add(subscription)) {
			return false;
		}
		if (!greet.getAsBoolean()) {
			channel.subscriptions.remove(subscription);
			return false;
		}
		SubscriptionIndex<LocalChannel> subscriptions = scope(channel.scope).subscriptions;
		subscriptions.add(subscription, channel);
		if (!channel.subscriptions.contains(subscription)) {
			// Unsubscribed while it was greeted
			subscriptions.remove(subscription, channel);
			return false;
		}
		return true;
	}

	boolean unsubscribe(LocalChannel channel, String subscription) {
		if (!channel.subscriptions.remove(subscription)) {
			return false;
		}
		scope(channel.scope).subscriptions.remove(subscription, channel);
		return true;
	}

	@Nullable Set<LocalChannel> subscribers(String scope, String subscription) {
		Scope index = this.scopes.get(scope);
		return (index != null) ? index.subscriptions.subscribers(subscription) : null;
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
		}
	}

	@Nullable Set<LocalChannel> userChannels(String scope, String user) {
		Scope index = this.scopes.get(scope);
		return (index != null) ? index.users.subscribers(user) : null;
	}

	void bindSession(LocalChannel channel, String session) {
		channel.session = session;
		this.sessions.add(session, channel);
	}

	/**
	 * The channels of a login session that ended, which it forgets.
	 */
	@Nullable Set<LocalChannel> sessionEnded(String session) {
		return this.sessions.removeAll(session);
	}

	/**
	 * A login session changed its id, as Spring Security does at login against session
	 * fixation: its channels stay bound to it.
	 */
	void sessionIdChanged(String before, String after) {
		Set<LocalChannel> channels = this.sessions.removeAll(before);
		if (channels != null) {
			for (LocalChannel channel : channels) {
				channel.session = after;
				this.sessions.add(after, channel);
			}
		}
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
		String session = channel.session;
		if (session != null) {
			this.sessions.remove(session, channel);
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

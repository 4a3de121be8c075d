package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.websocketstarter.registry.Channel;
import org.jspecify.annotations.Nullable;

/**
 * This node's view of the other nodes' channels and subscriptions, so that reads of
 * remote state never wait for Redis. It is kept current by the {@link ChannelChanges}
 * each node publishes as it writes them to its channels hash, typically within
 * milliseconds; a node's view is read from the hash in full when the node is first seen,
 * when a batch of its changes went missing (a gap in their sequence numbers, as when the
 * subscription to Redis was lost for a moment), and when its sequence number in Redis
 * runs ahead of the view for a whole heartbeat.
 * <p>
 * Reads count only nodes the {@code alive} predicate accepts, so a node that stopped
 * beating drops out of every answer at once.
 */
final class ClusterView {

	private final Map<String, NodeView> nodes = new ConcurrentHashMap<>();

	private final Predicate<String> alive;

	/**
	 * Create a view.
	 * @param alive whether a node is alive: only those are read
	 */
	ClusterView(Predicate<String> alive) {
		this.alive = alive;
	}

	/**
	 * Apply a batch of changes a node published.
	 * @return whether the view of the node is complete; {@code false} asks for a full
	 * read of the node's hash
	 */
	boolean apply(ChannelChanges changes) {
		return this.nodes.computeIfAbsent(changes.origin(), (node) -> new NodeView()).apply(changes);
	}

	/**
	 * Start a full read of a node's hash: changes from now on are kept to apply again
	 * over what is read.
	 */
	void readStarted(String node) {
		this.nodes.computeIfAbsent(node, (name) -> new NodeView()).readStarted();
	}

	/**
	 * Replace a node's view with what was read from Redis.
	 * @param node the node
	 * @param sequence the node's sequence number, read before its hash
	 * @param channels its channels hash: printed handles to subscriptions, one per line
	 */
	void read(String node, long sequence, Map<String, String> channels) {
		Map<Channel, Set<String>> states = new HashMap<>();
		channels.forEach((handle, lines) -> states.put(Channel.parse(handle), parseLines(lines)));
		this.nodes.computeIfAbsent(node, (name) -> new NodeView()).read(sequence, states);
	}

	static Set<String> parseLines(String lines) {
		return lines.isEmpty() ? Set.of() : Set.of(lines.split("\n"));
	}

	/**
	 * Forget the nodes that are not alive any more.
	 */
	void retainAlive() {
		this.nodes.keySet().removeIf(this.alive.negate());
	}

	/**
	 * The sequence number of the last batch of a node's changes in the view.
	 * @return the number, {@code -1} for a node without a view
	 */
	long sequence(String node) {
		NodeView view = this.nodes.get(node);
		return (view != null) ? view.sequence() : -1;
	}

	int subscriberCount(String subscription) {
		int count = 0;
		for (NodeView view : aliveViews()) {
			count += view.subscriberCount(subscription);
		}
		return count;
	}

	Set<Channel> subscribers(String subscription) {
		Set<Channel> subscribers = new HashSet<>();
		for (NodeView view : aliveViews()) {
			view.addSubscribers(subscription, subscribers);
		}
		return subscribers;
	}

	/**
	 * The subscriptions of a channel of another node.
	 * @return the subscriptions, {@code null} if the channel is not open
	 */
	@Nullable Set<String> subscriptions(Channel channel) {
		NodeView view = this.nodes.get(channel.node());
		return (view != null && this.alive.test(channel.node())) ? view.subscriptions(channel) : null;
	}

	private List<NodeView> aliveViews() {
		List<NodeView> views = new ArrayList<>(this.nodes.size());
		this.nodes.forEach((node, view) -> {
			if (this.alive.test(node)) {
				views.add(view);
			}
		});
		return views;
	}

	/**
	 * One node's channels, and who subscribes to what among them. Changed under its own
	 * lock by the subscription thread (batches) and the relay thread (full reads); read
	 * without it.
	 */
	private static final class NodeView {

		private final Map<Channel, Set<String>> channels = new ConcurrentHashMap<>();

		private final Map<String, Set<Channel>> subscribers = new ConcurrentHashMap<>();

		private volatile long sequence = -1;

		/** Batches applied while a full read runs, to apply again over it; or null. */
		private @Nullable List<ChannelChanges> duringRead;

		long sequence() {
			return this.sequence;
		}

		synchronized boolean apply(ChannelChanges changes) {
			changes.states().forEach(this::set);
			List<ChannelChanges> duringRead = this.duringRead;
			if (duringRead != null) {
				duringRead.add(changes);
				return true;
			}
			boolean complete = this.sequence >= 0 && changes.sequence() <= this.sequence + 1;
			this.sequence = Math.max(this.sequence, changes.sequence());
			return complete;
		}

		synchronized void readStarted() {
			if (this.duringRead == null) {
				this.duringRead = new ArrayList<>();
			}
		}

		synchronized void read(long sequence, Map<Channel, Set<String>> states) {
			for (Channel channel : List.copyOf(this.channels.keySet())) {
				if (!states.containsKey(channel)) {
					set(channel, null);
				}
			}
			states.forEach(this::set);
			this.sequence = sequence;
			List<ChannelChanges> duringRead = this.duringRead;
			this.duringRead = null;
			if (duringRead != null) {
				for (ChannelChanges changes : duringRead) {
					if (changes.sequence() > sequence) {
						changes.states().forEach(this::set);
						this.sequence = Math.max(this.sequence, changes.sequence());
					}
				}
			}
		}

		private void set(Channel channel, @Nullable Set<String> subscriptions) {
			Set<String> before = (subscriptions != null) ? this.channels.put(channel, subscriptions)
					: this.channels.remove(channel);
			if (before != null) {
				for (String subscription : before) {
					if (subscriptions == null || !subscriptions.contains(subscription)) {
						this.subscribers.computeIfPresent(subscription, (name, channels) -> {
							channels.remove(channel);
							return channels.isEmpty() ? null : channels;
						});
					}
				}
			}
			if (subscriptions != null) {
				for (String subscription : subscriptions) {
					if (before == null || !before.contains(subscription)) {
						this.subscribers.computeIfAbsent(subscription, (name) -> ConcurrentHashMap.newKeySet())
							.add(channel);
					}
				}
			}
		}

		int subscriberCount(String subscription) {
			Set<Channel> channels = this.subscribers.get(subscription);
			return (channels != null) ? channels.size() : 0;
		}

		void addSubscribers(String subscription, Set<Channel> target) {
			Set<Channel> channels = this.subscribers.get(subscription);
			if (channels != null) {
				target.addAll(channels);
			}
		}

		@Nullable Set<String> subscriptions(Channel channel) {
			return this.channels.get(channel);
		}

	}

}

package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.Presence;
import org.jspecify.annotations.Nullable;

/**
 * This node's view of the other nodes' channels, subscriptions and shared attributes, so
 * that reads of remote state never wait for Redis. It is kept current by the
 * {@link ChannelChanges} each node publishes as it writes them to its channels hash,
 * typically within milliseconds; a node's view is read from the hash in full when the
 * node is first seen, when a batch of its changes went missing (a gap in their sequence
 * numbers, as when the subscription to Redis was lost for a moment), and when its
 * sequence number in Redis runs ahead of the view for a whole heartbeat.
 * <p>
 * Reads count only nodes the {@code alive} predicate accepts, so a node that stopped
 * beating drops out of every answer at once.
 */
final class ClusterView {

	private final Map<String, NodeView> nodes = new ConcurrentHashMap<>();

	private final Predicate<String> alive;

	private final Function<String, String> scopeOfApp;

	private final BiConsumer<Channel, @Nullable ChannelState> changes;

	/**
	 * Create a view.
	 * @param alive whether a node is alive: only those are read
	 * @param scopeOfApp the subscription scope of an app, by its name
	 * @param changes told of each channel whose state the view changed, with its new
	 * state, {@code null} once it closed or its node was forgotten
	 */
	ClusterView(Predicate<String> alive, Function<String, String> scopeOfApp,
			BiConsumer<Channel, @Nullable ChannelState> changes) {
		this.alive = alive;
		this.scopeOfApp = scopeOfApp;
		this.changes = changes;
	}

	/**
	 * The key of a subscription in one scope.
	 */
	static String key(String scope, String subscription) {
		return scope + '\n' + subscription;
	}

	private NodeView view(String node) {
		return this.nodes.computeIfAbsent(node, (name) -> new NodeView(this.scopeOfApp, this.changes));
	}

	/**
	 * Apply a batch of changes a node published.
	 * @return whether the view of the node is complete; {@code false} asks for a full
	 * read of the node's hash
	 */
	boolean apply(ChannelChanges changes) {
		return view(changes.origin()).apply(changes);
	}

	/**
	 * Start a full read of a node's hash: changes from now on are kept to apply again
	 * over what is read.
	 */
	void readStarted(String node) {
		view(node).readStarted();
	}

	/**
	 * Replace a node's view with what was read from Redis.
	 * @param node the node
	 * @param sequence the node's sequence number, read before its hash
	 * @param channels its channels hash: printed handles to {@link ChannelState}s as text
	 */
	void read(String node, long sequence, Map<String, String> channels) {
		Map<Channel, ChannelState> states = new HashMap<>();
		channels.forEach((handle, text) -> states.put(Channel.parse(handle), ChannelState.parse(text)));
		view(node).read(sequence, states);
	}

	/**
	 * Forget the nodes that are not alive any more.
	 */
	void retainAlive() {
		for (Map.Entry<String, NodeView> node : this.nodes.entrySet()) {
			if (!this.alive.test(node.getKey()) && this.nodes.remove(node.getKey(), node.getValue())) {
				node.getValue().channels.keySet().forEach((channel) -> this.changes.accept(channel, null));
			}
		}
	}

	/**
	 * Add the other nodes' members of a subscription.
	 */
	void addMembers(String scope, String subscription, List<Presence.Member> members) {
		Set<Channel> subscribers = subscribers(scope, subscription);
		for (Channel channel : subscribers) {
			ChannelState state = state(channel);
			if (state != null) {
				members.add(new Presence.Member(channel, state.user(), state.attributes()));
			}
		}
	}

	/**
	 * The sequence number of the last batch of a node's changes in the view.
	 * @return the number, {@code -1} for a node without a view
	 */
	long sequence(String node) {
		NodeView view = this.nodes.get(node);
		return (view != null) ? view.sequence() : -1;
	}

	int subscriberCount(String scope, String subscription) {
		String key = key(scope, subscription);
		int count = 0;
		for (NodeView view : aliveViews()) {
			count += view.subscriberCount(key);
		}
		return count;
	}

	Set<Channel> subscribers(String scope, String subscription) {
		String key = key(scope, subscription);
		Set<Channel> subscribers = new HashSet<>();
		for (NodeView view : aliveViews()) {
			view.addSubscribers(key, subscribers);
		}
		return subscribers;
	}

	/**
	 * Add the other nodes' subscriptions of a scope with their subscriber counts.
	 */
	void addSubscriptionCounts(String scope, Map<String, Integer> counts) {
		String prefix = key(scope, "");
		for (NodeView view : aliveViews()) {
			view.subscribers.forEach((key, channels) -> {
				if (key.startsWith(prefix)) {
					counts.merge(key.substring(prefix.length()), channels.size(), Integer::sum);
				}
			});
		}
	}

	/**
	 * The state of a channel of another node.
	 * @return the state, {@code null} if the channel is not open
	 */
	@Nullable ChannelState state(Channel channel) {
		NodeView view = this.nodes.get(channel.node());
		return (view != null && this.alive.test(channel.node())) ? view.channels.get(channel) : null;
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
	 * One node's channels, and who subscribes to what among them, keyed by scope and
	 * name. Changed under its own lock by the subscription thread (batches) and the relay
	 * thread (full reads); read without it.
	 */
	private static final class NodeView {

		private final Map<Channel, ChannelState> channels = new ConcurrentHashMap<>();

		private final Map<String, Set<Channel>> subscribers = new ConcurrentHashMap<>();

		private final Function<String, String> scopeOfApp;

		private final BiConsumer<Channel, @Nullable ChannelState> changes;

		private volatile long sequence = -1;

		NodeView(Function<String, String> scopeOfApp, BiConsumer<Channel, @Nullable ChannelState> changes) {
			this.scopeOfApp = scopeOfApp;
			this.changes = changes;
		}

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
			if (this.sequence < 0) {
				// Never read in full: it stays incomplete, for the next heartbeat to read
				// it, should the read asked for now find the node not known to be alive
				return false;
			}
			boolean complete = changes.sequence() <= this.sequence + 1;
			this.sequence = Math.max(this.sequence, changes.sequence());
			return complete;
		}

		synchronized void readStarted() {
			if (this.duringRead == null) {
				this.duringRead = new ArrayList<>();
			}
		}

		synchronized void read(long sequence, Map<Channel, ChannelState> states) {
			// The batches that came during the read and are newer than the hash go over
			// it before the view changes, so that no channel goes back to an older state
			// for a moment, which its subscribers would see as a leave and a join
			Map<Channel, @Nullable ChannelState> latest = new HashMap<>(states);
			long newest = sequence;
			List<ChannelChanges> duringRead = this.duringRead;
			this.duringRead = null;
			if (duringRead != null) {
				for (ChannelChanges changes : duringRead) {
					if (changes.sequence() > sequence) {
						latest.putAll(changes.states());
						newest = Math.max(newest, changes.sequence());
					}
				}
			}
			for (Channel channel : List.copyOf(this.channels.keySet())) {
				if (!latest.containsKey(channel)) {
					set(channel, null);
				}
			}
			latest.forEach(this::set);
			this.sequence = newest;
		}

		private void set(Channel received, @Nullable ChannelState receivedState) {
			if (Objects.equals(receivedState, this.channels.get(received))) {
				return;
			}
			// Names repeat over many channels: one copy of each for what the view keeps
			Channel channel = (receivedState != null) ? interned(received) : received;
			ChannelState state = (receivedState != null) ? receivedState.interned() : null;
			ChannelState previous = (state != null) ? this.channels.put(channel, state) : this.channels.remove(channel);
			this.changes.accept(channel, state);
			Set<String> before = (previous != null) ? previous.subscriptions() : null;
			Set<String> subscriptions = (state != null) ? state.subscriptions() : null;
			String scope = this.scopeOfApp.apply(channel.app());
			if (before != null) {
				for (String subscription : before) {
					if (subscriptions == null || !subscriptions.contains(subscription)) {
						this.subscribers.computeIfPresent(key(scope, subscription), (name, channels) -> {
							channels.remove(channel);
							return channels.isEmpty() ? null : channels;
						});
					}
				}
			}
			if (subscriptions != null) {
				for (String subscription : subscriptions) {
					if (before == null || !before.contains(subscription)) {
						this.subscribers
							.computeIfAbsent(key(scope, subscription), (name) -> ConcurrentHashMap.newKeySet())
							.add(channel);
					}
				}
			}
		}

		private static Channel interned(Channel channel) {
			return new Channel(channel.app().intern(), channel.node().intern(), channel.id());
		}

		int subscriberCount(String key) {
			Set<Channel> channels = this.subscribers.get(key);
			return (channels != null) ? channels.size() : 0;
		}

		void addSubscribers(String key, Set<Channel> target) {
			Set<Channel> channels = this.subscribers.get(key);
			if (channels != null) {
				target.addAll(channels);
			}
		}

	}

}

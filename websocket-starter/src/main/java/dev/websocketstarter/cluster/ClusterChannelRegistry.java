package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.websocketstarter.internal.channel.Claims;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.channel.SubscriptionScopes;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelAttribute;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.ClaimResult;
import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.SendResult;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;

/**
 * The {@link ChannelRegistry} of a cluster: channels of this node are served by the
 * {@link LocalNode}'s registry, channels of other nodes through the {@link ClusterRelay}.
 * <p>
 * What differs from a single node, because the other nodes answer asynchronously:
 * <ul>
 * <li>{@code send} to a channel on another node returns {@link SendResult#QUEUED} when
 * the message was handed to the relay for a live node, {@link SendResult#CLOSED} when
 * that node is not alive, {@link SendResult#REJECTED} when the relay is down or too many
 * publications wait; whether the channel is still open is known only on its node.</li>
 * <li>{@code multicast} delivers to this node's subscribers at once and publishes once to
 * the subscription's shard channel, which only the nodes with subscribers of it receive;
 * it returns the number of subscribers on this node it was queued for. A text multicast
 * to a subscription with history goes through Redis, which gives it its offset and keeps
 * it: every node with subscribers of it, this one included, delivers it when it comes
 * back, in the order of the offsets; it returns the number of subscribers on this node
 * then. While Redis is down, this node keeps and delivers it in an epoch of its own.</li>
 * <li>{@code subscribe} of a channel of this node that makes this node's first subscriber
 * of a subscription returns once Redis acknowledged this node's subscription to the
 * subscription's shard channel, so that every multicast Redis receives after it returned
 * reaches the channel, from any node; for a subscription with history, the greeting's
 * offset is read after that. The wait is bounded by the Redis command timeout, and there
 * is none while the relay is not up, within a greeting, or on the relay's and Lettuce's
 * threads.</li>
 * <li>{@code subscribe}, {@code unsubscribe} and {@code close} of a channel on another
 * node are relayed to its node, and answer from this node's view of the channel, which
 * lags its node by a trip through Redis: {@code true} when the request was relayed and
 * the view says it changes something; {@code subscribe} with a greeting and
 * {@code setAttribute} serve this node's channels only.</li>
 * <li>{@code claim} serves this node's channels only, and waits for one Redis round trip:
 * only Redis can tell whether another node holds the value. While Redis is down it
 * answers {@link ClaimResult#UNAVAILABLE}.</li>
 * <li>{@code sendToUser} and {@code closeUser} act on this node's channels of the user at
 * once and publish once for all other nodes; they return the count on this node.</li>
 * <li>{@code subscriberCount}, {@code subscribers}, {@code subscriptionCounts},
 * {@code subscriptions}, {@code isOpen} and {@code attribute} (shared attributes only)
 * answer for other nodes' channels from this node's view of them, which each node keeps
 * current by publishing its channels' changes through Redis: they never wait for Redis,
 * and lag a change on another node by about one Redis round trip. While Redis is down
 * they answer for this node only.</li>
 * </ul>
 * No method throws because Redis failed.
 */
public final class ClusterChannelRegistry implements ChannelRegistry {

	private final LocalNode localNode;

	private final ChannelRegistry local;

	private final ClusterRelay relay;

	private final String node;

	private final SubscriptionScopes scopes;

	private final @Nullable String scope;

	private final Map<String, ClusterChannelRegistry> scoped = new ConcurrentHashMap<>();

	/**
	 * Create a registry.
	 * @param localNode this node's channels
	 * @param relay the relay to the other nodes
	 */
	public ClusterChannelRegistry(LocalNode localNode, ClusterRelay relay) {
		this(localNode, relay, null);
	}

	private ClusterChannelRegistry(LocalNode localNode, ClusterRelay relay, @Nullable String scope) {
		Assert.isTrue(localNode.node().equals(relay.node()), "'localNode' and 'relay' must serve the same node");
		this.localNode = localNode;
		this.local = (scope != null) ? localNode.registry(scope) : localNode.registry();
		this.relay = relay;
		this.node = localNode.node();
		this.scopes = localNode.scopes();
		this.scope = scope;
	}

	private String scope(@Nullable String subscription) {
		return this.scopes.resolve(this.scope, subscription);
	}

	@Override
	public ChannelRegistry app(String app) {
		this.local.app(app);
		return this.scoped.computeIfAbsent(this.scopes.ofApp(app),
				(scope) -> new ClusterChannelRegistry(this.localNode, this.relay, scope));
	}

	private boolean isLocal(Channel channel) {
		return this.node.equals(channel.node());
	}

	@Override
	public SendResult send(Channel channel, String text) {
		if (isLocal(channel)) {
			return this.local.send(channel, text);
		}
		return sendRemote(channel, true, text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public SendResult send(Channel channel, byte[] data) {
		if (isLocal(channel)) {
			return this.local.send(channel, data);
		}
		return sendRemote(channel, false, data);
	}

	private SendResult sendRemote(Channel channel, boolean text, byte[] payload) {
		if (this.relay.state() == ClusterRelay.State.UP && !this.relay.isAlive(channel.node())) {
			return SendResult.CLOSED;
		}
		return this.relay.publishTo(channel.node(), ClusterMessage.send(this.node, channel, text, payload))
				? SendResult.QUEUED : SendResult.REJECTED;
	}

	@Override
	public int multicast(String subscription, String text, Channel... exclude) {
		String scope = scope(subscription);
		if (this.localNode.histories().keeps(scope, subscription)) {
			if (this.relay.multicastWithHistory(scope, subscription, this.localNode.histories().settings(scope), text,
					exclude)) {
				return this.local.subscriberCount(subscription);
			}
			// Redis is down: this node's subscribers get it in an epoch of this node's
			return this.local.multicast(subscription, text, exclude);
		}
		int queued = this.local.multicast(subscription, text, exclude);
		this.relay.multicast(scope(subscription), subscription, true, text.getBytes(StandardCharsets.UTF_8), exclude);
		return queued;
	}

	@Override
	public int multicast(String subscription, byte[] data, Channel... exclude) {
		int queued = this.local.multicast(subscription, data, exclude);
		this.relay.multicast(scope(subscription), subscription, false, data.clone(), exclude);
		return queued;
	}

	@Override
	public boolean subscribe(Channel channel, String subscription) {
		if (isLocal(channel)) {
			return this.local.subscribe(channel, subscription);
		}
		ChannelState seen = this.relay.view().state(channel);
		// Relayed even when the view says it changes nothing: the view may be behind
		return relay(channel, ClusterMessage.subscribe(this.node, channel, subscription, true)) && seen != null
				&& !seen.subscriptions().contains(subscription);
	}

	private boolean relay(Channel channel, ClusterMessage message) {
		return this.relay.isAlive(channel.node()) && this.relay.publishTo(channel.node(), message);
	}

	@Override
	public boolean subscribe(Channel channel, String subscription, Supplier<? extends List<String>> greeting) {
		return isLocal(channel) && this.local.subscribe(channel, subscription, greeting);
	}

	@Override
	public int sendToUser(String user, String text) {
		int queued = this.local.sendToUser(user, text);
		this.relay.publishToAll(
				ClusterMessage.sendToUser(this.node, scope(null), user, true, text.getBytes(StandardCharsets.UTF_8)));
		return queued;
	}

	@Override
	public int sendToUser(String user, byte[] data) {
		int queued = this.local.sendToUser(user, data);
		this.relay.publishToAll(ClusterMessage.sendToUser(this.node, scope(null), user, false, data.clone()));
		return queued;
	}

	@Override
	public int closeUser(String user, CloseStatus status) {
		int closing = this.local.closeUser(user, status);
		String reason = (status.getReason() != null) ? status.getReason() : "";
		this.relay.publishToAll(ClusterMessage.closeUser(this.node, scope(null), user, status.getCode(), reason));
		return closing;
	}

	@Override
	public boolean unsubscribe(Channel channel, String subscription) {
		if (isLocal(channel)) {
			return this.local.unsubscribe(channel, subscription);
		}
		ChannelState seen = this.relay.view().state(channel);
		return relay(channel, ClusterMessage.subscribe(this.node, channel, subscription, false)) && seen != null
				&& seen.subscriptions().contains(subscription);
	}

	@Override
	public int subscriberCount(String subscription) {
		return this.local.subscriberCount(subscription)
				+ this.relay.view().subscriberCount(scope(subscription), subscription);
	}

	@Override
	public Set<Channel> subscribers(String subscription) {
		Set<Channel> remote = this.relay.view().subscribers(scope(subscription), subscription);
		if (remote.isEmpty()) {
			return this.local.subscribers(subscription);
		}
		Set<Channel> all = new HashSet<>(remote);
		all.addAll(this.local.subscribers(subscription));
		return Set.copyOf(all);
	}

	@Override
	public Set<String> subscriptions(Channel channel) {
		if (isLocal(channel)) {
			return this.local.subscriptions(channel);
		}
		ChannelState state = this.relay.view().state(channel);
		return (state != null) ? state.subscriptions() : Set.of();
	}

	@Override
	public Presence presence(String subscription, int maxMembers) {
		List<Presence.Member> members = new ArrayList<>(this.local.presence(subscription).members());
		this.relay.view().addMembers(scope(subscription), subscription, members);
		return Presence.of(subscription, members, maxMembers);
	}

	@Override
	public History history(String subscription, int maxMessages) {
		return this.local.history(subscription, maxMessages);
	}

	@Override
	public History history(String subscription, String epoch, long offset) {
		return this.local.history(subscription, epoch, offset);
	}

	@Override
	public Map<String, Integer> subscriptionCounts() {
		Map<String, Integer> counts = new TreeMap<>(this.local.subscriptionCounts());
		this.relay.view().addSubscriptionCounts(scope(null), counts);
		return Collections.unmodifiableMap(counts);
	}

	@Override
	public <T> @Nullable T attribute(Channel channel, ChannelAttribute<T> attribute) {
		if (isLocal(channel)) {
			return this.local.attribute(channel, attribute);
		}
		ChannelState state = this.relay.view().state(channel);
		String text = (state != null && attribute.isShared()) ? state.attributes().get(attribute.name()) : null;
		return (text != null) ? attribute.parse(text) : null;
	}

	@Override
	public <T> boolean setAttribute(Channel channel, ChannelAttribute<T> attribute, @Nullable T value) {
		return isLocal(channel) && this.local.setAttribute(channel, attribute, value);
	}

	@Override
	public ClaimResult claim(Channel channel, String namespace, String value) {
		ClaimResult local = this.local.claim(channel, namespace, value);
		if (!local.isClaimed()) {
			return local;
		}
		Claims.Key key = new Claims.Key(this.scopes.ofApp(channel.app()), namespace, value);
		ClaimResult cluster = this.relay.claim(key, channel);
		Claims claims = this.localNode.claims();
		if (!cluster.isClaimed()) {
			claims.withdraw(key, channel);
		}
		else if (!channel.equals(claims.owner(key))) {
			// Released while Redis answered, and taken back in Redis before the claim
			// landed
			this.relay.released(key, channel);
			return ClaimResult.CLOSED;
		}
		return cluster;
	}

	@Override
	public boolean release(Channel channel, String namespace, String value) {
		return this.local.release(channel, namespace, value);
	}

	@Override
	public boolean isOpen(Channel channel) {
		if (isLocal(channel)) {
			return this.local.isOpen(channel);
		}
		return this.relay.view().state(channel) != null;
	}

	@Override
	public boolean close(Channel channel, CloseStatus status) {
		if (isLocal(channel)) {
			return this.local.close(channel, status);
		}
		String reason = (status.getReason() != null) ? status.getReason() : "";
		boolean seenOpen = this.relay.view().state(channel) != null;
		return relay(channel, ClusterMessage.close(this.node, channel, status.getCode(), reason)) && seenOpen;
	}

	@Override
	public String toString() {
		return "ClusterChannelRegistry[node=" + this.node + ", relay=" + this.relay + "]";
	}

}

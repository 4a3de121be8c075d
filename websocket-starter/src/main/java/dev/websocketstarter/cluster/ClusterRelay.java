package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.LocalChannelRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;

/**
 * Connects this node's {@link LocalChannelRegistry} to the other nodes through Redis:
 * publishes sends and multicasts for them, delivers theirs to local channels, and mirrors
 * this node's channels and subscribers into Redis under a heartbeat.
 * <p>
 * Redis keys, all under the key prefix ({@code websocket} by default):
 * <ul>
 * <li>{@code websocket:nodes}: sorted set of live nodes, scored by the time (epoch
 * milliseconds) after which a node that stops beating is forgotten</li>
 * <li>{@code websocket:node:<node>:channels}: hash of the node's open channels to their
 * subscriptions, one per line</li>
 * <li>{@code websocket:node:<node>:subscribers:<subscription>}: set of the node's
 * subscribers of a subscription</li>
 * <li>{@code websocket:node:<node>:subscriptions}: set of the subscriptions above, so a
 * node can clean up after itself</li>
 * </ul>
 * Every key of a node expires one node TTL after its last heartbeat. Pub/sub channels:
 * {@code websocket:multicast} for multicasts, which every node receives, and
 * {@code websocket:node:<node>} for what is meant for one node. See
 * {@link ClusterMessage} for the payload.
 * <p>
 * All writes to Redis run on one relay thread, so the caller never waits for Redis. When
 * Redis fails, the relay logs it once, drops publications for other nodes (local delivery
 * goes on), and keeps beating; at the first heartbeat that succeeds it logs once more and
 * writes this node's state into Redis again.
 */
public final class ClusterRelay implements MessageListener, SmartLifecycle {

	private static final int MAX_PIPELINE = 1024;

	private static final Log logger = LogFactory.getLog(LocalChannelRegistry.LOG_CATEGORY);

	private final LocalChannelRegistry local;

	private final StringRedisTemplate redis;

	private final RedisMessageListenerContainer container;

	private final String node;

	private final long ttlMillis;

	private final String prefix;

	private final int maxPending;

	private final byte[] multicastTopic;

	private final Map<String, byte[]> nodeTopics = new ConcurrentHashMap<>();

	private final ScheduledThreadPoolExecutor relay;

	private final AtomicInteger pending = new AtomicInteger();

	/** Publications waiting for the relay thread, in the order they were made. */
	private final Queue<Publication> publications = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean publishing = new AtomicBoolean();

	private final LongAdder dropped = new LongAdder();

	private final Set<Channel> changed = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean syncScheduled = new AtomicBoolean();

	/** The state of this node's channels as written to Redis; relay thread only. */
	private final Map<Channel, Set<String>> mirrored = new HashMap<>();

	/** Subscriptions with a key of this node in Redis; relay thread only. */
	private final Set<String> written = new HashSet<>();

	private final Object stateLock = new Object();

	private volatile State state = State.STARTING;

	private volatile @Nullable String lastFailure;

	private volatile Map<String, Long> otherNodes = Map.of();

	private volatile @Nullable ScheduledFuture<?> heartbeat;

	private volatile boolean running;

	/**
	 * Create a relay.
	 * @param local the registry of this node's channels
	 * @param connectionFactory the Redis connection
	 * @param properties the cluster settings
	 */
	public ClusterRelay(LocalChannelRegistry local, RedisConnectionFactory connectionFactory,
			ClusterProperties properties) {
		Assert.notNull(local, "'local' must not be null");
		this.local = local;
		this.node = local.node();
		this.ttlMillis = properties.getNodeTtl().toMillis();
		this.prefix = properties.getKeyPrefix();
		this.maxPending = properties.getMaxPending();
		this.redis = new StringRedisTemplate(connectionFactory);
		this.multicastTopic = (this.prefix + ":multicast").getBytes(StandardCharsets.UTF_8);
		this.relay = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "ws-cluster-relay");
			thread.setDaemon(true);
			return thread;
		});
		this.relay.setRemoveOnCancelPolicy(true);
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		// Deliver on the subscription's thread, in order; local delivery only enqueues
		this.container.setTaskExecutor(Runnable::run);
		this.container.setRecoveryInterval(Math.max(100, this.ttlMillis / 3));
		this.container.addMessageListener(this,
				List.of(new ChannelTopic(this.prefix + ":multicast"), new ChannelTopic(nodeTopicName(this.node))));
		this.container.setBeanName("webSocketClusterListenerContainer");
		this.container.afterPropertiesSet();
	}

	/**
	 * The identifier of this node.
	 * @return the node identifier
	 */
	public String node() {
		return this.node;
	}

	/**
	 * Whether the relay reaches Redis.
	 * @return the state
	 */
	public State state() {
		return this.state;
	}

	/**
	 * The last Redis failure, kept while the relay is down.
	 * @return a description of the failure, {@code null} when the relay is up
	 */
	public @Nullable String lastFailure() {
		return this.lastFailure;
	}

	/**
	 * The other nodes this node knows to be alive: they beat within the node TTL.
	 * @return the node identifiers, empty while the relay is down
	 */
	public Set<String> otherNodes() {
		if (this.state != State.UP) {
			return Set.of();
		}
		long now = System.currentTimeMillis();
		Set<String> alive = new HashSet<>();
		this.otherNodes.forEach((node, deadline) -> {
			if (deadline > now) {
				alive.add(node);
			}
		});
		return alive;
	}

	/**
	 * Publications for other nodes dropped because Redis was down or too many waited.
	 * @return the count
	 */
	public long droppedPublications() {
		return this.dropped.sum();
	}

	boolean isAlive(String node) {
		if (this.state != State.UP) {
			return false;
		}
		Long deadline = this.otherNodes.get(node);
		return deadline != null && deadline > System.currentTimeMillis();
	}

	// Publishing, on the caller's thread: hand over to the relay thread

	boolean multicast(String subscription, boolean text, byte[] payload, Channel[] exclude) {
		return publish(this.multicastTopic, ClusterMessage.multicast(this.node, subscription, text, payload, exclude));
	}

	boolean publishTo(String node, ClusterMessage message) {
		return publish(
				this.nodeTopics.computeIfAbsent(node, (name) -> nodeTopicName(name).getBytes(StandardCharsets.UTF_8)),
				message);
	}

	private boolean publish(byte[] topic, ClusterMessage message) {
		if (this.state != State.UP || !this.running) {
			this.dropped.increment();
			return false;
		}
		if (this.pending.incrementAndGet() > this.maxPending) {
			this.pending.decrementAndGet();
			this.dropped.increment();
			return false;
		}
		this.publications.add(new Publication(topic, message.encode()));
		schedulePublishing();
		return true;
	}

	private void schedulePublishing() {
		if (this.publishing.compareAndSet(false, true)) {
			try {
				this.relay.execute(this::publishWaiting);
			}
			catch (RejectedExecutionException ex) {
				// The relay is stopping: what waits is dropped with it
				this.publishing.set(false);
			}
		}
	}

	/**
	 * Publish what waits in one pipelined round trip: one round trip per message would
	 * cap cross-node delivery at the round-trip rate.
	 */
	private void publishWaiting() {
		List<Publication> batch = new ArrayList<>();
		Publication waiting;
		while (batch.size() < MAX_PIPELINE && (waiting = this.publications.poll()) != null) {
			batch.add(waiting);
		}
		this.pending.addAndGet(-batch.size());
		if (!batch.isEmpty()) {
			if (this.state == State.UP) {
				try {
					this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
						for (Publication publication : batch) {
							connection.publish(publication.topic(), publication.payload());
						}
						return null;
					});
				}
				catch (RuntimeException ex) {
					this.dropped.add(batch.size());
					failed(ex);
				}
			}
			else {
				this.dropped.add(batch.size());
			}
		}
		this.publishing.set(false);
		if (!this.publications.isEmpty()) {
			schedulePublishing();
		}
	}

	private record Publication(byte[] topic, byte[] payload) {
	}

	// Receiving, on the subscription's thread

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		ClusterMessage received;
		try {
			received = ClusterMessage.decode(message.getBody());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring a relay message this node does not understand: " + ex.getMessage());
			return;
		}
		if (received.origin().equals(this.node)) {
			return;
		}
		try {
			deliver(received);
		}
		catch (RuntimeException ex) {
			logger.warn("Delivering a relay message from node " + received.origin() + " failed", ex);
		}
	}

	private void deliver(ClusterMessage message) {
		switch (message.kind()) {
			case MULTICAST_TEXT -> this.local.multicast(message.subscription(), message.text(), message.exclude());
			case MULTICAST_BINARY -> this.local.multicast(message.subscription(), message.payload(), message.exclude());
			case SEND_TEXT -> this.local.send(message.channel(), message.text());
			case SEND_BINARY -> this.local.send(message.channel(), message.payload());
			case SUBSCRIBE -> this.local.subscribe(message.channel(), message.subscription());
			case UNSUBSCRIBE -> this.local.unsubscribe(message.channel(), message.subscription());
			case CLOSE -> this.local.close(message.channel(), new CloseStatus(message.code(), message.text()));
		}
	}

	// Reading the cluster's state, on the caller's thread

	int remoteSubscriberCount(String subscription) {
		List<String> nodes = new ArrayList<>(otherNodes());
		if (nodes.isEmpty()) {
			return 0;
		}
		try {
			List<Object> counts = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				StringRedisConnection commands = new DefaultStringRedisConnection(connection);
				for (String node : nodes) {
					commands.sCard(subscribersKey(node, subscription));
				}
				return null;
			});
			int total = 0;
			for (Object count : counts) {
				total += (count instanceof Number number) ? number.intValue() : 0;
			}
			return total;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return 0;
		}
	}

	Set<Channel> remoteSubscribers(String subscription) {
		List<String> nodes = new ArrayList<>(otherNodes());
		if (nodes.isEmpty()) {
			return Set.of();
		}
		try {
			List<Object> members = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				StringRedisConnection commands = new DefaultStringRedisConnection(connection);
				for (String node : nodes) {
					commands.sMembers(subscribersKey(node, subscription));
				}
				return null;
			});
			Set<Channel> subscribers = new HashSet<>();
			for (Object set : members) {
				if (set instanceof Collection<?> handles) {
					handles.forEach((handle) -> subscribers.add(Channel.parse(handle.toString())));
				}
			}
			return subscribers;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return Set.of();
		}
	}

	/**
	 * The subscriptions of a channel on another node, {@code null} if it is not open.
	 */
	@Nullable Set<String> remoteSubscriptions(Channel channel) {
		if (!isAlive(channel.node())) {
			return null;
		}
		try {
			Object value = this.redis.opsForHash().get(channelsKey(channel.node()), channel.toString());
			if (value == null) {
				return null;
			}
			String lines = value.toString();
			return lines.isEmpty() ? Set.of() : Set.of(lines.split("\n"));
		}
		catch (RuntimeException ex) {
			failed(ex);
			return null;
		}
	}

	// Mirroring this node's channels, on the relay thread

	/**
	 * Told by the local registry of every change to a channel: write it to Redis soon,
	 * several changes in one round trip.
	 */
	void channelChanged(Channel channel) {
		this.changed.add(channel);
		scheduleSync();
	}

	private void scheduleSync() {
		if (this.syncScheduled.compareAndSet(false, true)) {
			try {
				this.relay.execute(this::sync);
			}
			catch (RejectedExecutionException ex) {
				this.syncScheduled.set(false);
			}
		}
	}

	private void sync() {
		this.syncScheduled.set(false);
		if (this.state != State.UP || this.changed.isEmpty()) {
			return;
		}
		List<Channel> batch = new ArrayList<>();
		for (Iterator<Channel> iterator = this.changed.iterator(); iterator.hasNext();) {
			batch.add(iterator.next());
			iterator.remove();
		}
		try {
			this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				StringRedisConnection commands = new DefaultStringRedisConnection(connection);
				for (Channel channel : batch) {
					mirror(commands, channel);
				}
				commands.pExpire(channelsKey(this.node), this.ttlMillis);
				commands.pExpire(subscriptionsKey(this.node), this.ttlMillis);
				return null;
			});
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	private void mirror(StringRedisConnection commands, Channel channel) {
		Set<String> now = this.local.isOpen(channel) ? this.local.subscriptions(channel) : null;
		Set<String> before = this.mirrored.getOrDefault(channel, Set.of());
		String handle = channel.toString();
		for (String subscription : (now != null) ? now : Set.<String>of()) {
			if (!before.contains(subscription)) {
				String key = subscribersKey(this.node, subscription);
				commands.sAdd(key, handle);
				commands.pExpire(key, this.ttlMillis);
				if (this.written.add(subscription)) {
					commands.sAdd(subscriptionsKey(this.node), subscription);
				}
			}
		}
		for (String subscription : before) {
			if (now == null || !now.contains(subscription)) {
				commands.sRem(subscribersKey(this.node, subscription), handle);
			}
		}
		if (now != null) {
			commands.hSet(channelsKey(this.node), handle, String.join("\n", now));
			this.mirrored.put(channel, now);
		}
		else {
			commands.hDel(channelsKey(this.node), handle);
			this.mirrored.remove(channel);
		}
	}

	/**
	 * Write this node's state into Redis from scratch: at start and after an outage, when
	 * Redis may have lost it or kept a stale one.
	 */
	private void register() {
		Set<String> stale = this.redis.opsForSet().members(subscriptionsKey(this.node));
		List<String> keys = new ArrayList<>();
		keys.add(channelsKey(this.node));
		keys.add(subscriptionsKey(this.node));
		for (String subscription : (stale != null) ? stale : Set.<String>of()) {
			keys.add(subscribersKey(this.node, subscription));
		}
		for (String subscription : this.written) {
			keys.add(subscribersKey(this.node, subscription));
		}
		this.redis.delete(keys);
		this.mirrored.clear();
		this.written.clear();
		this.changed.addAll(this.local.channels());
		sync();
	}

	private void heartbeat() {
		long now = System.currentTimeMillis();
		try {
			this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				StringRedisConnection commands = new DefaultStringRedisConnection(connection);
				commands.zAdd(nodesKey(), now + this.ttlMillis, this.node);
				commands.zRemRangeByScore(nodesKey(), Double.NEGATIVE_INFINITY, now);
				commands.pExpire(channelsKey(this.node), this.ttlMillis);
				commands.pExpire(subscriptionsKey(this.node), this.ttlMillis);
				for (String subscription : this.written) {
					commands.pExpire(subscribersKey(this.node, subscription), this.ttlMillis);
				}
				return null;
			});
			Set<TypedTuple<String>> nodes = this.redis.opsForZSet()
				.rangeByScoreWithScores(nodesKey(), now, Double.POSITIVE_INFINITY);
			Map<String, Long> others = new HashMap<>();
			for (TypedTuple<String> node : (nodes != null) ? nodes : Set.<TypedTuple<String>>of()) {
				if (node.getValue() != null && node.getScore() != null && !node.getValue().equals(this.node)) {
					others.put(node.getValue(), node.getScore().longValue());
				}
			}
			this.otherNodes = Map.copyOf(others);
			if (this.state != State.UP) {
				recovered(others.size());
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	private void recovered(int others) {
		State previous;
		synchronized (this.stateLock) {
			previous = this.state;
			this.state = State.UP;
			this.lastFailure = null;
		}
		try {
			register();
		}
		catch (RuntimeException ex) {
			failed(ex);
			return;
		}
		if (previous == State.DOWN) {
			logger.info("Cluster relay of node " + this.node + " reaches Redis again and relays to " + others
					+ " other nodes; " + this.dropped.sum() + " publications were dropped so far");
		}
		else {
			logger.info("Cluster relay of node " + this.node + " joined, with " + others + " other nodes");
		}
	}

	private void failed(RuntimeException failure) {
		boolean wasDown;
		synchronized (this.stateLock) {
			wasDown = this.state == State.DOWN;
			this.state = State.DOWN;
			this.lastFailure = String.valueOf(failure.getMessage());
		}
		if (!wasDown && this.running) {
			logger.warn("Cluster relay of node " + this.node + " cannot reach Redis (" + failure
					+ "); local delivery goes on, messages to other nodes are dropped until Redis is back");
		}
	}

	private void leave() {
		if (this.state != State.UP) {
			return;
		}
		try {
			this.redis.opsForZSet().remove(nodesKey(), this.node);
			List<String> keys = new ArrayList<>();
			keys.add(channelsKey(this.node));
			keys.add(subscriptionsKey(this.node));
			this.written.forEach((subscription) -> keys.add(subscribersKey(this.node, subscription)));
			this.redis.delete(keys);
		}
		catch (RuntimeException ex) {
			logger.debug("Cluster relay of node " + this.node + " could not leave; the other nodes forget it after "
					+ "the node TTL: " + ex);
		}
	}

	private String nodesKey() {
		return this.prefix + ":nodes";
	}

	private String nodeTopicName(String node) {
		return this.prefix + ":node:" + node;
	}

	private String channelsKey(String node) {
		return this.prefix + ":node:" + node + ":channels";
	}

	private String subscriptionsKey(String node) {
		return this.prefix + ":node:" + node + ":subscriptions";
	}

	private String subscribersKey(String node, String subscription) {
		return this.prefix + ":node:" + node + ":subscribers:" + subscription;
	}

	@Override
	public void start() {
		this.running = true;
		this.local.setChannelListener(this::channelChanged);
		this.relay.execute(() -> {
			try {
				this.container.start();
			}
			catch (RuntimeException ex) {
				failed(ex);
			}
		});
		long period = Math.max(1, this.ttlMillis / 3);
		this.heartbeat = this.relay.scheduleWithFixedDelay(this::heartbeat, 0, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledFuture<?> heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.cancel(false);
		}
		this.local.setChannelListener(null);
		this.relay.execute(this::leave);
		this.relay.shutdown();
		try {
			if (!this.relay.awaitTermination(Math.max(1000, this.ttlMillis), TimeUnit.MILLISECONDS)) {
				this.relay.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.container.stop();
		try {
			this.container.destroy();
		}
		catch (Exception ex) {
			logger.debug("Stopping the cluster relay's subscriptions failed: " + ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop after the local registry, which closes the channels and tells the relay, and
	 * start before it.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

	@Override
	public String toString() {
		return "ClusterRelay[node=" + this.node + ", state=" + this.state + ", otherNodes=" + otherNodes().size() + "]";
	}

	/**
	 * Whether the relay reaches Redis.
	 */
	public enum State {

		/** Not connected to Redis yet. */
		STARTING,

		/** Connected: relaying. */
		UP,

		/** Redis failed: local delivery only until it is back. */
		DOWN

	}

}

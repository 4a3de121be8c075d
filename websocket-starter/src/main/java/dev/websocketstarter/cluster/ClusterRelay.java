package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.websocketstarter.internal.channel.Claims;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.internal.history.HistorySettings;
import dev.websocketstarter.internal.presence.SharedState;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ClaimResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;

/**
 * Connects this node's {@link LocalNode} to the other nodes through Redis: publishes
 * sends and multicasts for them, delivers theirs to local channels, mirrors this node's
 * channels into Redis and keeps a view of the other nodes' channels, under a heartbeat.
 * See {@link RedisKeys} for what it keeps in Redis, {@link ClusterMessage} and
 * {@link ChannelChanges} for what it publishes.
 * <p>
 * Multicasts go to each subscription's shard channel with Redis 7's sharded pub/sub, and
 * this node receives only those of the subscriptions it has subscribers for (see
 * {@link ShardRoutes}): the first local subscriber of a subscription returns from
 * {@code subscribe} once Redis acknowledged this node's subscription, so that every
 * multicast Redis receives after that reaches it. Sends to one node, messages to users
 * and channel changes stay on pub/sub channels. It needs Spring Data Redis's Lettuce
 * client, and works on a single Redis or on a Redis Cluster.
 * <p>
 * All writes to Redis run on one relay thread, and reads of other nodes' channels come
 * from the {@link ClusterView}, so the caller never waits for Redis. When Redis fails,
 * the relay logs it once, drops publications for other nodes (local delivery goes on),
 * and keeps beating; at the first heartbeat that succeeds it logs once more, writes this
 * node's channels into Redis again and reads the other nodes' anew (see
 * {@link Heartbeat}).
 */
public final class ClusterRelay implements MessageListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LocalNode.LOG_CATEGORY);

	private final LocalNode localNode;

	private final StringRedisTemplate redis;

	private final RelayConnections connections;

	private final RedisMessageListenerContainer container;

	private final String node;

	private final long ttlMillis;

	private final RedisKeys keys;

	private final byte[] multicastTopic;

	private final byte[] changesTopic;

	private final Map<String, byte[]> nodeTopics = new ConcurrentHashMap<>();

	private final RelayThreads threads;

	private final ScheduledThreadPoolExecutor relay;

	private final Membership membership;

	private final Publisher publisher;

	private final RedisMirror mirror;

	private final RedisClaims claims;

	private final RedisHistory history;

	private final ClusterView view;

	private final ViewReader viewReader;

	private final RelayInbound inbound;

	private final RelaySeal seal;

	private final ShardRoutes routes;

	private final Heartbeat heartbeats;

	private volatile @Nullable ScheduledFuture<?> heartbeat;

	private volatile boolean running;

	/**
	 * Create a relay.
	 * @param localNode this node's channels
	 * @param connectionFactory the Redis connection, Lettuce's
	 * @param nodeTtl how long after its last heartbeat a node is forgotten
	 * @param keyPrefix the prefix of the relay's Redis keys and pub/sub channels
	 * @param maxPending the most publications that may wait for Redis
	 */
	public ClusterRelay(LocalNode localNode, RedisConnectionFactory connectionFactory, Duration nodeTtl,
			String keyPrefix, int maxPending) {
		this(localNode, connectionFactory, nodeTtl, keyPrefix, maxPending, List.of());
	}

	/**
	 * Create a relay that seals what it publishes and drops what is not sealed.
	 * @param localNode this node's channels
	 * @param connectionFactory the Redis connection, Lettuce's
	 * @param nodeTtl how long after its last heartbeat a node is forgotten
	 * @param keyPrefix the prefix of the relay's Redis keys and pub/sub channels
	 * @param maxPending the most publications that may wait for Redis
	 * @param secrets the secrets every node shares, the one that seals first; none to
	 * seal nothing
	 */
	public ClusterRelay(LocalNode localNode, RedisConnectionFactory connectionFactory, Duration nodeTtl,
			String keyPrefix, int maxPending, List<String> secrets) {
		Assert.notNull(localNode, "'localNode' must not be null");
		Assert.isInstanceOf(LettuceConnectionFactory.class, connectionFactory,
				"The cluster relay needs Spring Data Redis's Lettuce client for sharded pub/sub");
		LettuceConnectionFactory lettuce = (LettuceConnectionFactory) connectionFactory;
		this.seal = new RelaySeal(secrets, System::currentTimeMillis);
		this.localNode = localNode;
		this.node = localNode.node();
		this.ttlMillis = nodeTtl.toMillis();
		this.keys = new RedisKeys(keyPrefix);
		this.redis = new StringRedisTemplate(connectionFactory);
		this.connections = new RelayConnections(lettuce, Duration.ofMillis(lettuce.getTimeout()), this.keys);
		this.multicastTopic = this.keys.multicastTopic().getBytes(StandardCharsets.UTF_8);
		this.changesTopic = this.keys.changesTopic().getBytes(StandardCharsets.UTF_8);
		this.threads = new RelayThreads();
		this.relay = this.threads.relay();
		this.membership = new Membership(this.node, this.keys, this.ttlMillis);
		this.routes = new ShardRoutes(this.keys, this.connections, this::shardReceived, this.relay,
				() -> this.running && this.membership.isUp() && this.threads.mayWait(), this::failed);
		this.publisher = new Publisher(this.connections, this.relay, maxPending,
				() -> this.membership.isUp() && this.running, this.membership::isUp, this::failed);
		this.mirror = new RedisMirror(this.node, localNode, this.keys, this.redis, this.relay, this.membership,
				this.ttlMillis, this::failed, this.seal);
		this.history = new RedisHistory(this.node, this.keys, this.redis, localNode, this.seal, this.routes::followed);
		localNode.histories().setSource(this.history);
		localNode.listeners().setRouting(this.routes);
		this.claims = new RedisClaims(this.node, localNode, this.keys, this.redis, this.relay, this.membership,
				this.ttlMillis, this::failed);
		this.view = new ClusterView(this.membership::isAlive, localNode.scopes()::ofApp, (channel, state) -> localNode
			.presence()
			.remoteChanged(channel,
					(state != null) ? new SharedState(state.subscriptions(), state.user(), state.attributes()) : null));
		this.viewReader = new ViewReader(this.redis, this.relay, this.keys, this.membership, this.view, this::failed);
		this.inbound = new RelayInbound(this.node, localNode, this.changesTopic, this.history, this.view,
				this.viewReader, this.seal, this.threads.applier());
		this.heartbeats = new Heartbeat(localNode, this.redis, this.keys, this.membership, this.mirror, this.claims,
				this.view, this.viewReader, this.routes, this.relay, this.publisher::dropped, this::failed);
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		// Deliver on the subscription's thread, in order; local delivery only enqueues
		this.container.setTaskExecutor(Runnable::run);
		this.container.setRecoveryInterval(Math.max(100, this.ttlMillis / 3));
		this.container.addMessageListener(this, List.of(new ChannelTopic(this.keys.multicastTopic()),
				new ChannelTopic(this.keys.changesTopic()), new ChannelTopic(this.keys.nodeTopic(this.node))));
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
		return this.membership.state();
	}

	/**
	 * The last Redis failure, kept while the relay is down.
	 * @return a description of the failure, {@code null} when the relay is up
	 */
	public @Nullable String lastFailure() {
		return this.membership.lastFailure();
	}

	/**
	 * The other nodes this node knows to be alive: they beat within the node TTL.
	 * @return the node identifiers, empty while the relay is down
	 */
	public Set<String> otherNodes() {
		return this.membership.otherNodes();
	}

	/**
	 * Publications for other nodes dropped because Redis was down or too many waited.
	 * @return the count
	 */
	public long droppedPublications() {
		return this.publisher.dropped();
	}

	/**
	 * The multicasts this node received from Redis, its own included: only those of the
	 * subscriptions it has subscribers for.
	 * @return the count
	 */
	public long multicastsReceived() {
		return this.inbound.multicastsReceived();
	}

	/**
	 * Publications this node received from Redis and did not understand, dropped.
	 * @return the count
	 */
	public long undecodableMessages() {
		return this.inbound.undecodable();
	}

	boolean isAlive(String node) {
		return this.membership.isAlive(node);
	}

	// Publishing, on the caller's thread: handed over to the relay thread

	/**
	 * Multicast to the other nodes with subscribers of a subscription, through its shard
	 * channel.
	 * @return whether it was handed to the relay
	 */
	boolean multicast(String scope, String subscription, boolean text, byte[] payload, Channel[] exclude) {
		byte[] channel = this.keys.shardChannel(scope, subscription).getBytes(StandardCharsets.UTF_8);
		byte[] message = ClusterMessage.multicast(this.node, scope, subscription, text, payload, exclude).encode();
		return this.publisher.publishSharded(channel, this.seal.sealAll(channel, message));
	}

	/**
	 * Multicast a text message to a subscription with history through Redis, which gives
	 * it its offset and sends it back to every node with subscribers of it, this one
	 * included. One that does not reach Redis, dropped by the relay or multicast on this
	 * node only, makes this node's next one start a new epoch.
	 * @return whether it was handed to the relay
	 */
	boolean multicastWithHistory(String scope, String subscription, HistorySettings settings, String text,
			Channel[] exclude) {
		if (this.membership.isUp() && this.running) {
			return this.publisher.submit(this.history.multicast(scope, subscription, settings, text, exclude));
		}
		// The caller multicasts on this node only
		this.history.missed(scope, subscription);
		return false;
	}

	boolean publishToAll(ClusterMessage message) {
		return this.publisher.publish(this.multicastTopic, this.seal.sealAll(this.multicastTopic, message.encode()));
	}

	boolean publishTo(String node, ClusterMessage message) {
		byte[] topic = this.nodeTopics.computeIfAbsent(node,
				(name) -> this.keys.nodeTopic(name).getBytes(StandardCharsets.UTF_8));
		return this.publisher.publish(topic, this.seal.sealAll(topic, message.encode()));
	}

	/**
	 * Claim in Redis a value a channel of this node holds on this node; waits for Redis.
	 */
	ClaimResult claim(Claims.Key key, Channel channel) {
		return this.running ? this.claims.claim(key, channel) : ClaimResult.UNAVAILABLE;
	}

	/**
	 * Take back in Redis a value that a channel of this node gave up, soon.
	 */
	void released(Claims.Key key, Channel channel) {
		this.claims.released(key, channel);
	}

	/**
	 * The view of the other nodes' channels, which the caller reads on its own thread:
	 * never a Redis round trip.
	 */
	ClusterView view() {
		return this.view;
	}

	// Receiving, on the subscription's thread

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		this.inbound.received(message);
	}

	private void shardReceived(byte[] channel, byte[] body) {
		this.inbound.shardReceived(channel, body);
	}

	private void failed(RuntimeException failure) {
		if (!this.membership.down(failure)) {
			return;
		}
		this.routes.lost();
		if (this.running) {
			String why = (failure instanceof RelayConnections.ShardedPubSubUnsupportedException) ? failure.getMessage()
					: "cannot reach Redis (" + RelayConnections.describe(failure) + ")";
			logger.warn("Cluster relay of node " + this.node + " " + why
					+ "; local delivery goes on, messages to other nodes are dropped until Redis is back");
		}
	}

	private void leave() {
		if (!this.membership.isUp()) {
			return;
		}
		try {
			Pipeline.run(this.redis, (commands) -> {
				this.membership.leave(commands);
				this.mirror.remove(commands);
			});
		}
		catch (RuntimeException ex) {
			logger.debug("Cluster relay of node " + this.node + " could not leave; the other nodes forget it after "
					+ "the node TTL: " + ex);
		}
	}

	/**
	 * Not stopped when the context pauses: the node would leave the cluster.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public void start() {
		this.running = true;
		this.localNode.listeners().add(this.mirror);
		this.localNode.claims().setReleaseListener(this.claims::released);
		this.relay.execute(() -> {
			try {
				this.container.start();
			}
			catch (RuntimeException ex) {
				failed(ex);
			}
		});
		long period = Math.max(1, this.ttlMillis / 3);
		this.heartbeat = this.relay.scheduleWithFixedDelay(this.heartbeats::beat, 0, period, TimeUnit.MILLISECONDS);
		this.relay.scheduleWithFixedDelay(this::reportRejections, 1, 1, TimeUnit.MINUTES);
		if (!this.seal.isOn()) {
			logger.warn("Cluster relay of node " + this.node + " runs without websocket.cluster.secret: anyone who"
					+ " can reach Redis can read every multicast and make every node deliver messages, subscribe,"
					+ " unsubscribe and close channels as they wish. Set the same websocket.cluster.secret on every"
					+ " node, and protect Redis with an ACL user and TLS");
		}
	}

	/**
	 * Say once a minute what was dropped: a forger at Redis, a node with another secret,
	 * or one of another version.
	 */
	void reportRejections() {
		this.inbound.reportUndecodable();
		Map<RelaySeal.Rejection, Long> rejected = this.seal.takeRejections();
		if (!rejected.isEmpty()) {
			logger.warn("Cluster relay of node " + this.node + " dropped relay messages in the last minute: " + rejected
					+ "; someone who can reach Redis may be forging or replaying them, or a node has"
					+ " another websocket.cluster.secret");
		}
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledFuture<?> heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.cancel(false);
		}
		this.localNode.listeners().remove(this.mirror);
		this.localNode.claims().setReleaseListener(null);
		this.relay.execute(this::leave);
		this.threads.stop(Math.max(1000, this.ttlMillis));
		this.routes.close();
		this.connections.close();
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
	 * Stop after the local node, which closes the channels and tells the relay, and start
	 * before it.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

	@Override
	public String toString() {
		return "ClusterRelay[node=" + this.node + ", state=" + state() + ", otherNodes=" + otherNodes().size() + "]";
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

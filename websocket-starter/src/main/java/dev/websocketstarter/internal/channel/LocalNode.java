package dev.websocketstarter.internal.channel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.websocketstarter.internal.history.Histories;
import dev.websocketstarter.internal.presence.PresenceTracker;
import dev.websocketstarter.internal.presence.SharedState;
import dev.websocketstarter.internal.transport.Connection;
import dev.websocketstarter.internal.transport.ConnectionAcceptor;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;

/**
 * The channels connected to this node: it opens and admits them, runs their writers and
 * heartbeat, counts what they do and closes them on shutdown. Its {@link #registry()} is
 * the {@link ChannelRegistry} over them.
 * <p>
 * Writes run on a small pool of writer threads, pings and idle checks on one heartbeat
 * thread. On shutdown every channel is closed with 1001 after its queued messages are
 * written, within the shutdown timeout.
 * <p>
 * Not API: the starter's auto-configuration, metrics, endpoint and cluster relay use it;
 * applications use the {@link ChannelRegistry}.
 */
public final class LocalNode implements SmartLifecycle {

	/**
	 * The logger category of the starter: lifecycle at DEBUG, refused handshakes and
	 * forced closes at INFO or WARN.
	 */
	public static final String LOG_CATEGORY = "dev.websocketstarter";

	static final Log logger = LogFactory.getLog(LOG_CATEGORY);

	private final String node;

	private final Duration shutdownTimeout;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Channel, LocalChannel> channels = new ConcurrentHashMap<>();

	/** Channels whose handler is in {@code onClose}: their attributes are still read. */
	private final Map<Channel, LocalChannel> closing = new ConcurrentHashMap<>();

	private final LoginSessions loginSessions = new LoginSessions(this);

	private final SubscriptionScopes scopes = new SubscriptionScopes();

	private final Claims claims = new Claims();

	private final Histories histories = new Histories(Clock.systemUTC(), (key) -> this.index
		.hasSubscribers(key.substring(0, key.indexOf('\n')), key.substring(key.indexOf('\n') + 1)));

	private final ChannelListeners listeners = new ChannelListeners();

	private final ChannelIndex index = new ChannelIndex(this::changed, this.histories, this.listeners);

	private final Map<String, LocalChannelRegistry> scopedRegistries = new ConcurrentHashMap<>();

	private final PresenceTracker presence = new PresenceTracker(this.scopes::ofApp, this::sharedState,
			// To this node's subscribers as they are: not kept in a history, not wrapped
			(scope, subscription, diff) -> this.stats.multicastMade(LocalChannelRegistry
				.deliver(this.index.subscribers(scope, subscription), Outbound.text(diff), new Channel[0])));

	private final NodeStats stats = new NodeStats(this.channels);

	private final ThreadPoolExecutor writers;

	private final Heartbeat heartbeat;

	private final LocalChannelRegistry registry;

	private volatile boolean running;

	/**
	 * Create a node.
	 * @param node the identifier of this node, part of every channel handle
	 * @param writerThreads the number of threads that write to channels
	 * @param heartbeatPeriod how often to check for due pings and idle channels; zero
	 * when no app uses either
	 * @param shutdownTimeout how long to wait for channels to flush and close on shutdown
	 */
	public LocalNode(String node, int writerThreads, Duration heartbeatPeriod, Duration shutdownTimeout) {
		Assert.hasText(node, "'node' must not be empty");
		Assert.isTrue(writerThreads > 0, "'writerThreads' must be positive");
		this.node = node;
		this.shutdownTimeout = shutdownTimeout;
		this.writers = new ThreadPoolExecutor(writerThreads, writerThreads, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), new DaemonThreads("ws-writer-"));
		this.heartbeat = new Heartbeat(heartbeatPeriod, this.channels.values());
		this.registry = new LocalChannelRegistry(this, null);
	}

	/**
	 * The identifier of this node.
	 * @return the node identifier
	 */
	public String node() {
		return this.node;
	}

	/**
	 * The registry of this node's channels.
	 * @return the registry
	 */
	public ChannelRegistry registry() {
		return this.registry;
	}

	/**
	 * The registry of this node's channels in which subscription names, users and
	 * subscription counts are those of one scope.
	 * @param scope the scope
	 * @return the registry
	 */
	public ChannelRegistry registry(String scope) {
		return this.scopedRegistries.computeIfAbsent(scope, (name) -> new LocalChannelRegistry(this, name));
	}

	/**
	 * The scopes of the apps this node serves.
	 * @return the scopes
	 */
	public SubscriptionScopes scopes() {
		return this.scopes;
	}

	/**
	 * What takes the connections of one URL of an app as channels of this node.
	 * @param app the app's settings
	 * @param url the URL, as configured
	 * @param handler the app's handler
	 * @return the acceptor of the URL's connections
	 */
	public ConnectionAcceptor acceptor(AppSettings app, String url, ChannelHandler handler) {
		this.scopes.add(app);
		this.histories.add(app.subscriptionScope(), app.name(), app.history());
		if (app.presence()) {
			this.presence.track(app.name(), app.presenceDiffs());
		}
		return new ChannelAcceptor(this, app, url, handler);
	}

	/**
	 * The listeners told of every channel that opens, closes, or joins or leaves a
	 * subscription on this node, and the routing of its subscriptions.
	 * @return the listeners, to add to
	 */
	public ChannelListeners listeners() {
		return this.listeners;
	}

	void changed(Channel channel) {
		this.presence.localChanged(channel);
		this.listeners.changed(channel);
	}

	@Nullable LocalChannel channel(Channel handle) {
		return this.channels.get(handle);
	}

	/**
	 * A channel that is open, closing, or closed with its handler in {@code onClose}.
	 */
	@Nullable LocalChannel channelOrClosing(Channel handle) {
		LocalChannel channel = this.channels.get(handle);
		return (channel != null) ? channel : this.closing.get(handle);
	}

	ChannelIndex index() {
		return this.index;
	}

	/**
	 * What the other nodes and presence see of an open channel.
	 * @param channel the channel
	 * @return its subscriptions, user and shared attributes; {@code null} when it is not
	 * open
	 */
	public @Nullable SharedState sharedState(Channel channel) {
		LocalChannel local = this.channels.get(channel);
		return (local != null && local.isOpen())
				? new SharedState(local.subscriptions.snapshot(), local.user, local.attributes.shared()) : null;
	}

	/**
	 * The values this node's channels claimed.
	 * @return the claims
	 */
	public Claims claims() {
		return this.claims;
	}

	/**
	 * The histories of the subscriptions that keep one.
	 * @return the histories
	 */
	public Histories histories() {
		return this.histories;
	}

	/**
	 * Keep and deliver to this node's subscribers a message multicast through the cluster
	 * to a subscription with history.
	 * @return how many subscribers it was queued for
	 */
	public int replicate(String scope, String subscription, String epoch, long offset, String text, Instant at,
			Channel[] exclude) {
		return this.stats.multicastMade(
				this.histories.replicate(scope, subscription, epoch, offset, text, at, (frame) -> LocalChannelRegistry
					.deliver(this.index.subscribers(scope, subscription), Outbound.text(frame), exclude)));
	}

	/**
	 * Who joins and leaves the subscriptions of apps with presence on.
	 * @return the tracker
	 */
	public PresenceTracker presence() {
		return this.presence;
	}

	/**
	 * The login sessions this node's channels are bound to.
	 * @return the sessions
	 */
	public LoginSessions loginSessions() {
		return this.loginSessions;
	}

	/**
	 * Close a channel once its queue is written; it leaves every subscription at once.
	 */
	boolean closeGracefully(LocalChannel channel, CloseStatus status) {
		if (!channel.closeGracefully(status)) {
			return false;
		}
		leaveSubscriptions(channel);
		return true;
	}

	/**
	 * The channels this node holds, open or closing.
	 * @return an immutable snapshot
	 */
	public Set<Channel> channels() {
		return Set.copyOf(this.channels.keySet());
	}

	/**
	 * The number of channels this node holds, open or closing.
	 * @return the number of channels
	 */
	public int channelCount() {
		return this.channels.size();
	}

	/**
	 * What this node's channels do, counted.
	 * @return the statistics
	 */
	public NodeStats stats() {
		return this.stats;
	}

	/**
	 * The subscriptions on this node with their subscriber counts, each named
	 * {@code <scope>:<name>}.
	 * @return a snapshot, sorted by name
	 */
	public Map<String, Integer> subscriptionCounts() {
		return this.index.subscriptionCounts();
	}

	/**
	 * Register a new connection; {@link #admit} decides next whether it may stay.
	 */
	LocalChannel open(Connection connection, AppSettings app, String url) {
		Channel handle = new Channel(app.name(), this.node, this.ids.incrementAndGet());
		LocalChannel channel = new LocalChannel(handle, url, app, connection, this, this.writers,
				this.stats.app(app.name()));
		this.channels.put(handle, channel);
		this.stats.channelAdded(app.name());
		return channel;
	}

	/**
	 * Subscribe a channel its handler let in to its URL, when the app subscribes
	 * channels: after {@code onOpen}, so that what it sent comes first.
	 */
	void autoSubscribe(LocalChannel channel) {
		if (channel.app.autoSubscribe()) {
			this.index.subscribe(channel, channel.url, null);
		}
	}

	/**
	 * Run the handler's {@code onClose} of a channel that closed, its attributes still
	 * readable.
	 */
	void whileClosing(LocalChannel channel, Runnable onClose) {
		this.closing.put(channel.handle, channel);
		try {
			onClose.run();
		}
		finally {
			this.closing.remove(channel.handle);
		}
	}

	/**
	 * The connection closed, whoever closed it: forget the channel.
	 * @return whether this is the first notice of the close, so the handler is told once
	 */
	boolean closed(LocalChannel channel, CloseStatus status) {
		forget(channel);
		if (channel.isInBlockingWrite()) {
			// The container may have reported the close while the writer is blocked in
			// its write, with no timeout on Jetty
			this.heartbeat.closedInWrite(channel);
		}
		long dropped = channel.dropped();
		if (dropped > 0) {
			logger.info("Channel " + channel + " closed with " + status.getCode() + "; " + dropped
					+ " messages to it were dropped under overflow policy drop-oldest");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Channel " + channel + " closed with " + status);
		}
		if (!channel.notifyClosedOnce()) {
			return false;
		}
		channel.stats.closed(status.getCode());
		this.listeners.closed(channel.handle, status);
		return true;
	}

	/**
	 * Close a channel at once, discarding its queue, because it broke a limit or failed.
	 * The caller logs why.
	 * @return {@code true} if this call closed it
	 */
	boolean forceClose(LocalChannel channel, CloseStatus status) {
		if (!channel.closeNow(status)) {
			return false;
		}
		leaveSubscriptions(channel);
		return true;
	}

	/**
	 * A write or close failed: the connection is broken. The connection reports the
	 * close, which tells the handler.
	 */
	void writeFailed(LocalChannel channel, Throwable failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Writing to channel " + channel + " failed: " + failure);
		}
		forget(channel);
		// A connection the container is closing already gets its close frame from the
		// container: aborting would cost it
		if (channel.isConnectionOpen()) {
			channel.abort();
		}
	}

	private void forget(LocalChannel channel) {
		channel.markClosed();
		leaveSubscriptions(channel);
		if (this.channels.remove(channel.handle) != null) {
			this.claims.releaseAll(channel.handle);
			this.stats.channelRemoved(channel.app.name());
			changed(channel.handle);
		}
	}

	private void leaveSubscriptions(LocalChannel channel) {
		this.index.remove(channel);
		this.loginSessions.remove(channel);
	}

	/**
	 * Not stopped when the context pauses: stopping closes every channel, for good.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public void start() {
		this.heartbeat.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		Collection<LocalChannel> open = this.channels.values();
		if (!open.isEmpty()) {
			logger.debug("Closing " + open.size() + " channels on shutdown");
		}
		CloseStatus shutdown = CloseStatus.GOING_AWAY.withReason("Server is shutting down");
		for (LocalChannel channel : open) {
			closeGracefully(channel, shutdown);
		}
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		while (!this.channels.isEmpty() && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		if (!this.channels.isEmpty()) {
			logger.info(this.channels.size() + " channels did not close within shutdown-timeout " + this.shutdownTimeout
					+ "; the container closes them");
		}
		this.heartbeat.stop();
		this.writers.shutdown();
		this.presence.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "LocalNode[node=" + this.node + ", channels=" + this.channels.size() + ", subscriptions="
				+ this.index.subscriptionCount() + "]";
	}

}

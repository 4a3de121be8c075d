package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.registry.OverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Options every app takes unless it sets them itself: {@code websocket.defaults}.
 */
public class AppOptions {

	static final int DEFAULT_MAX_CONNECTIONS = 4096;

	/**
	 * Origin patterns allowed to open channels, such as 'https://*.example.com', or '*'
	 * for any. Empty allows only the same origin as the Host header; clients that send no
	 * Origin are allowed.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Maximum size of an inbound message; a larger one closes the channel with 1009.
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Time a channel may receive no text or binary message before it is closed with 1001;
	 * 0 for no limit.
	 */
	private Duration idleTimeout = Duration.ZERO;

	/**
	 * Interval of server pings to channels that sent nothing meanwhile; a channel that
	 * does not answer within another interval is closed with 1001. 0 turns pings off.
	 */
	private Duration pingInterval = Duration.ofSeconds(30);

	/**
	 * Maximum bytes queued for one channel before the overflow policy applies.
	 */
	private DataSize sendBufferLimit = DataSize.ofKilobytes(512);

	/**
	 * Maximum time the peer may leave a write to its channel waiting, its socket full,
	 * before the channel is closed with 1008; also how long a close frame of the server's
	 * waits for the peer's answer.
	 */
	private Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * Maximum time a message sent in fragments may take from its first fragment to its
	 * last, whatever else the peer sends meanwhile; past it the channel is closed with
	 * 1008. Defaults to 5s for every 64KB of max-message-size, so a peer trickling a
	 * message holds its connection and buffer for a bounded time.
	 */
	private @Nullable Duration messageTimeLimit;

	/**
	 * What happens when a channel's queue exceeds send-buffer-limit: close it with 1008,
	 * or drop its oldest queued messages.
	 */
	private OverflowPolicy overflow = OverflowPolicy.CLOSE;

	/**
	 * Whether a new channel is subscribed to the URL it connected to, so each URL is its
	 * own group.
	 */
	private boolean autoSubscribe = true;

	/**
	 * Maximum open channels of an app; further handshakes get 503 before the upgrade. 0
	 * for no limit. The default, 4096, takes about 52 MB at 13 KiB per idle connection,
	 * which a small server holds, and keeps one app from taking all of Tomcat's 8192
	 * connections (server.tomcat.max-connections) from the others.
	 */
	private int maxConnections = DEFAULT_MAX_CONNECTIONS;

	/**
	 * Whether to compress messages with the permessage-deflate extension for clients that
	 * offer it, as browsers do. Compression keeps about 150 KiB of zlib state per
	 * connection for the connection's lifetime, even while it is idle, and the app is
	 * served by the container's WebSocket layer, which compresses.
	 */
	private boolean permessageDeflate;

	/**
	 * Whether a channel opened by an authenticated HTTP session closes with 1008
	 * ("session ended") when the session ends: logout, expiry or invalidation.
	 */
	private boolean closeWithSession = true;

	/**
	 * Whether users joining and leaving the app's subscriptions, cluster-wide, are
	 * published as PresenceEvents. Costs a little memory per tracked channel on every
	 * node.
	 */
	private boolean presence;

	/**
	 * With presence on, how long the joins and leaves of a subscription are gathered into
	 * one "presence_diff" message multicast to its subscribers; 0 sends none.
	 */
	private Duration presenceDiffs = Duration.ZERO;

	/**
	 * Multicasts kept per subscription, with offsets, for newcomers and for clients that
	 * reconnect and recover what they missed.
	 */
	private final History history = new History();

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		requireMessageSize(maxMessageSize);
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		requireNotNegative(idleTimeout);
		this.idleTimeout = idleTimeout;
	}

	public Duration getPingInterval() {
		return this.pingInterval;
	}

	public void setPingInterval(Duration pingInterval) {
		requireNotNegative(pingInterval);
		this.pingInterval = pingInterval;
	}

	public DataSize getSendBufferLimit() {
		return this.sendBufferLimit;
	}

	public void setSendBufferLimit(DataSize sendBufferLimit) {
		requirePositive(sendBufferLimit);
		this.sendBufferLimit = sendBufferLimit;
	}

	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(Duration sendTimeLimit) {
		requirePositive(sendTimeLimit);
		this.sendTimeLimit = sendTimeLimit;
	}

	public @Nullable Duration getMessageTimeLimit() {
		return this.messageTimeLimit;
	}

	public void setMessageTimeLimit(@Nullable Duration messageTimeLimit) {
		requirePositive(messageTimeLimit);
		this.messageTimeLimit = messageTimeLimit;
	}

	public OverflowPolicy getOverflow() {
		return this.overflow;
	}

	public void setOverflow(OverflowPolicy overflow) {
		this.overflow = overflow;
	}

	public boolean isAutoSubscribe() {
		return this.autoSubscribe;
	}

	public void setAutoSubscribe(boolean autoSubscribe) {
		this.autoSubscribe = autoSubscribe;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		requireMaxConnections(maxConnections);
		this.maxConnections = maxConnections;
	}

	public boolean isPermessageDeflate() {
		return this.permessageDeflate;
	}

	public void setPermessageDeflate(boolean permessageDeflate) {
		this.permessageDeflate = permessageDeflate;
	}

	static void requireNotNegative(@Nullable Duration duration) {
		Assert.isTrue(duration == null || !duration.isNegative(), "must not be negative; use 0 to turn it off");
	}

	static void requirePositive(@Nullable Duration duration) {
		Assert.isTrue(duration == null || (!duration.isNegative() && !duration.isZero()), "must be positive, e.g. 10s");
	}

	static void requireMessageSize(@Nullable DataSize size) {
		requirePositive(size);
		Assert.isTrue(size == null || size.toBytes() <= Integer.MAX_VALUE, "must be at most 2GB");
	}

	static void requirePositive(@Nullable DataSize size) {
		Assert.isTrue(size == null || size.toBytes() > 0, "must be positive, e.g. 64KB");
	}

	static void requireMaxConnections(@Nullable Integer maxConnections) {
		Assert.isTrue(maxConnections == null || maxConnections >= 0, "must not be negative; use 0 for no limit");
	}

	public boolean isCloseWithSession() {
		return this.closeWithSession;
	}

	public void setCloseWithSession(boolean closeWithSession) {
		this.closeWithSession = closeWithSession;
	}

	public boolean isPresence() {
		return this.presence;
	}

	public void setPresence(boolean presence) {
		this.presence = presence;
	}

	public Duration getPresenceDiffs() {
		return this.presenceDiffs;
	}

	public void setPresenceDiffs(Duration presenceDiffs) {
		Assert.isTrue(!presenceDiffs.isNegative(), "'presence-diffs' must not be negative");
		this.presenceDiffs = presenceDiffs;
	}

	public History getHistory() {
		return this.history;
	}

	static void requireHistory(@Nullable Integer size, @Nullable DataSize maxBytes, @Nullable Duration maxAge) {
		Assert.isTrue(size == null || (size > 0 && size <= History.MAX_SIZE),
				() -> "'history.size' must be between 1 and " + History.MAX_SIZE);
		Assert.isTrue(maxBytes == null || maxBytes.toBytes() > 0, "'history.max-bytes' must be positive");
		Assert.isTrue(maxAge == null || (!maxAge.isNegative() && !maxAge.isZero()),
				"'history.max-age' must be positive");
	}

	/**
	 * Which subscriptions keep their multicasts, and how many, how large and how old.
	 */
	public static class History {

		static final int MAX_SIZE = 100_000;

		/**
		 * Subscriptions whose text multicasts are kept, as patterns where '*' matches any
		 * characters, such as '/chat/*'. Empty keeps none. Their multicasts reach
		 * subscribers wrapped with an offset: {"ws":"pub",...}.
		 */
		private List<String> subscriptions = new ArrayList<>();

		/**
		 * Most messages kept per subscription, at most 100000.
		 */
		private int size = 100;

		/**
		 * Most bytes of message text, in UTF-8, kept per subscription.
		 */
		private DataSize maxBytes = DataSize.ofMegabytes(1);

		/**
		 * Longest a message is kept.
		 */
		private Duration maxAge = Duration.ofMinutes(5);

		public List<String> getSubscriptions() {
			return this.subscriptions;
		}

		public void setSubscriptions(List<String> subscriptions) {
			requirePatterns(subscriptions);
			this.subscriptions = subscriptions;
		}

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			requireHistory(size, null, null);
			this.size = size;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			requireHistory(null, maxBytes, null);
			this.maxBytes = maxBytes;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			requireHistory(null, null, maxAge);
			this.maxAge = maxAge;
		}

		static void requirePatterns(@Nullable List<String> patterns) {
			if (patterns != null) {
				for (String pattern : patterns) {
					Assert.hasText(pattern, "'history.subscriptions' must not hold an empty pattern");
				}
			}
		}

	}

}

package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.registry.OverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of WebSocket apps. Every key under {@code websocket} is checked at
 * startup: one that binds to nothing fails it, naming the closest valid key.
 */
@ConfigurationProperties("websocket")
public class WebSocketProperties {

	private static final DataSize MIN_BUFFER_SIZE = DataSize.ofBytes(256);

	/**
	 * Whether the starter serves WebSocket apps. When false it configures nothing at all.
	 */
	private boolean enabled = true;

	/**
	 * WebSocket apps by name. An app whose section is missing or whose urls are empty is
	 * off.
	 */
	private final Map<String, App> apps = new LinkedHashMap<>();

	/**
	 * Options for every app that does not set them itself.
	 */
	private final Options defaults = new Options();

	/**
	 * Several nodes acting as one through Redis.
	 */
	private final Cluster cluster = new Cluster();

	/**
	 * Identifier of this node in channel handles. Generated at startup when not set.
	 */
	private @Nullable String nodeId;

	/**
	 * Number of threads that write queued messages to channels. Defaults to twice the
	 * number of processors, at least 4.
	 */
	private @Nullable Integer writerThreads;

	/**
	 * Maximum time to wait on shutdown for channels to write their queued messages and
	 * close.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * For apps served by Tomcat's WebSocket layer (transport "container", or
	 * permessage-deflate): size of each buffer Tomcat keeps per WebSocket session: the
	 * inbound text and binary message buffers, and the frame buffers for reading,
	 * batching and encoding (system property
	 * org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE, set at startup unless set
	 * already). Larger messages arrive in parts and are joined up to max-message-size,
	 * and the writer flushes a batch once per buffer, so small buffers save memory on
	 * every idle connection at the cost of more system calls under load. Servlet context
	 * parameters org.apache.tomcat.websocket.textBufferSize and binaryBufferSize, when
	 * set, win.
	 */
	private DataSize containerBufferSize = DataSize.ofKilobytes(1);

	/**
	 * Size of the read and write buffers Tomcat's connector keeps per connection
	 * (socket.appReadBufSize and socket.appWriteBufSize), for HTTP and WebSocket alike,
	 * set while an app is on. Small buffers save memory on every idle connection;
	 * Tomcat's own default, 8KB, needs fewer system calls for large HTTP bodies. A
	 * TomcatConnectorCustomizer of the application's own wins.
	 */
	private DataSize socketBufferSize = DataSize.ofKilobytes(1);

	/**
	 * Which WebSocket implementation serves the apps: "starter", the starter's own on the
	 * Servlet upgrade API, with writes that never block and about half the memory per
	 * idle connection; or "container", the servlet container's JSR-356 layer. An app with
	 * permessage-deflate is served by the container's either way, as the starter's does
	 * not compress.
	 */
	private Transport transport = Transport.STARTER;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, App> getApps() {
		return this.apps;
	}

	public Options getDefaults() {
		return this.defaults;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public @Nullable String getNodeId() {
		return this.nodeId;
	}

	public void setNodeId(@Nullable String nodeId) {
		Assert.isTrue(nodeId == null || nodeId.matches("[A-Za-z0-9._-]+"),
				"must be letters, digits, '.', '_' or '-', e.g. 'node-1'");
		this.nodeId = nodeId;
	}

	public @Nullable Integer getWriterThreads() {
		return this.writerThreads;
	}

	public void setWriterThreads(@Nullable Integer writerThreads) {
		Assert.isTrue(writerThreads == null || writerThreads > 0, "must be positive, e.g. 4");
		this.writerThreads = writerThreads;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		requireNotNegative(shutdownTimeout);
		this.shutdownTimeout = shutdownTimeout;
	}

	public DataSize getContainerBufferSize() {
		return this.containerBufferSize;
	}

	public void setContainerBufferSize(DataSize containerBufferSize) {
		requireBufferSize(containerBufferSize);
		this.containerBufferSize = containerBufferSize;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public DataSize getSocketBufferSize() {
		return this.socketBufferSize;
	}

	public void setSocketBufferSize(DataSize socketBufferSize) {
		requireBufferSize(socketBufferSize);
		this.socketBufferSize = socketBufferSize;
	}

	private static void requireBufferSize(DataSize size) {
		// Tomcat needs room for a frame header, and a control frame's 125 bytes
		Assert.isTrue(size.toBytes() >= MIN_BUFFER_SIZE.toBytes(), "must be at least 256B, e.g. 1KB");
		Assert.isTrue(size.toBytes() <= Integer.MAX_VALUE, "must be at most 2GB");
	}

	private static void requireNotNegative(@Nullable Duration duration) {
		Assert.isTrue(duration == null || !duration.isNegative(), "must not be negative; use 0 to turn it off");
	}

	private static void requirePositive(@Nullable Duration duration) {
		Assert.isTrue(duration == null || (!duration.isNegative() && !duration.isZero()), "must be positive, e.g. 10s");
	}

	private static void requireMessageSize(@Nullable DataSize size) {
		requirePositive(size);
		Assert.isTrue(size == null || size.toBytes() <= Integer.MAX_VALUE, "must be at most 2GB");
	}

	private static void requirePositive(@Nullable DataSize size) {
		Assert.isTrue(size == null || size.toBytes() > 0, "must be positive, e.g. 64KB");
	}

	private static void requireMaxConnections(@Nullable Integer maxConnections) {
		Assert.isTrue(maxConnections == null || maxConnections >= 0, "must not be negative; use 0 for no limit");
	}

	/**
	 * The WebSocket implementations that can serve the apps.
	 */
	public enum Transport {

		/**
		 * The starter's own, on the Servlet upgrade API.
		 */
		STARTER,

		/**
		 * The servlet container's JSR-356 WebSocket layer.
		 */
		CONTAINER

	}

	/**
	 * Options every app takes unless it sets them itself.
	 */
	public static class Options {

		/**
		 * Origin patterns allowed to open channels, such as 'https://*.example.com', or
		 * '*' for any. Empty allows only the same origin as the Host header; clients that
		 * send no Origin are allowed.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Maximum size of an inbound message; a larger one closes the channel with 1009.
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(64);

		/**
		 * Time a channel may receive no text or binary message before it is closed with
		 * 1001; 0 for no limit.
		 */
		private Duration idleTimeout = Duration.ZERO;

		/**
		 * Interval of server pings to channels that sent nothing meanwhile; a channel
		 * that does not answer within another interval is closed with 1001. 0 turns pings
		 * off.
		 */
		private Duration pingInterval = Duration.ofSeconds(30);

		/**
		 * Maximum bytes queued for one channel before the overflow policy applies.
		 */
		private DataSize sendBufferLimit = DataSize.ofKilobytes(512);

		/**
		 * Maximum time the peer may leave a write to its channel waiting, its socket
		 * full, before the channel is closed with 1008; also how long a close frame of
		 * the server's waits for the peer's answer.
		 */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		/**
		 * What happens when a channel's queue exceeds send-buffer-limit: close it with
		 * 1008, or drop its oldest queued messages.
		 */
		private OverflowPolicy overflow = OverflowPolicy.CLOSE;

		/**
		 * Whether a new channel is subscribed to the URL it connected to, so each URL is
		 * its own group.
		 */
		private boolean autoSubscribe = true;

		/**
		 * Maximum open channels of an app; further handshakes get 503 before the upgrade.
		 * 0 for no limit.
		 */
		private int maxConnections;

		/**
		 * Whether to compress messages with the permessage-deflate extension for clients
		 * that offer it, as browsers do. Compression keeps about 150 KiB of zlib state
		 * per connection for the connection's lifetime, even while it is idle, and the
		 * app is served by the container's WebSocket layer, which compresses.
		 */
		private boolean permessageDeflate;

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

	}

	/**
	 * One WebSocket app: its URLs, and the options it sets itself; an option it leaves
	 * unset ({@code null}) is taken from {@code websocket.defaults}.
	 */
	public static class App {

		/**
		 * URLs the app serves, each starting with '/'. Each URL has its own subscribers.
		 * Empty turns the app off.
		 */
		private List<String> urls = new ArrayList<>();

		/**
		 * Origin patterns allowed to open channels; see websocket.defaults.
		 */
		private @Nullable List<String> allowedOrigins;

		/**
		 * Maximum size of an inbound message; see websocket.defaults.
		 */
		private @Nullable DataSize maxMessageSize;

		/**
		 * Time a channel may receive no message before it is closed; see
		 * websocket.defaults.
		 */
		private @Nullable Duration idleTimeout;

		/**
		 * Interval of server pings; see websocket.defaults.
		 */
		private @Nullable Duration pingInterval;

		/**
		 * Maximum bytes queued for one channel; see websocket.defaults.
		 */
		private @Nullable DataSize sendBufferLimit;

		/**
		 * Maximum time a write to a channel may wait; see websocket.defaults.
		 */
		private @Nullable Duration sendTimeLimit;

		/**
		 * What happens when a channel's queue is full; see websocket.defaults.
		 */
		private @Nullable OverflowPolicy overflow;

		/**
		 * Whether a new channel is subscribed to its URL; see websocket.defaults.
		 */
		private @Nullable Boolean autoSubscribe;

		/**
		 * Maximum open channels of the app; see websocket.defaults.
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Whether to compress for clients that offer it; see websocket.defaults.
		 */
		private @Nullable Boolean permessageDeflate;

		public List<String> getUrls() {
			return this.urls;
		}

		public void setUrls(List<String> urls) {
			Set<String> seen = new HashSet<>();
			for (String url : urls) {
				Assert.isTrue(url.startsWith("/"), () -> "URL '" + url + "' must start with '/', e.g. '/" + url + "'");
				Assert.isTrue(seen.add(url), () -> "URL '" + url + "' is listed twice");
			}
			this.urls = urls;
		}

		public @Nullable List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(@Nullable List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public @Nullable DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(@Nullable DataSize maxMessageSize) {
			requireMessageSize(maxMessageSize);
			this.maxMessageSize = maxMessageSize;
		}

		public @Nullable Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(@Nullable Duration idleTimeout) {
			requireNotNegative(idleTimeout);
			this.idleTimeout = idleTimeout;
		}

		public @Nullable Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(@Nullable Duration pingInterval) {
			requireNotNegative(pingInterval);
			this.pingInterval = pingInterval;
		}

		public @Nullable DataSize getSendBufferLimit() {
			return this.sendBufferLimit;
		}

		public void setSendBufferLimit(@Nullable DataSize sendBufferLimit) {
			requirePositive(sendBufferLimit);
			this.sendBufferLimit = sendBufferLimit;
		}

		public @Nullable Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(@Nullable Duration sendTimeLimit) {
			requirePositive(sendTimeLimit);
			this.sendTimeLimit = sendTimeLimit;
		}

		public @Nullable OverflowPolicy getOverflow() {
			return this.overflow;
		}

		public void setOverflow(@Nullable OverflowPolicy overflow) {
			this.overflow = overflow;
		}

		public @Nullable Boolean getAutoSubscribe() {
			return this.autoSubscribe;
		}

		public void setAutoSubscribe(@Nullable Boolean autoSubscribe) {
			this.autoSubscribe = autoSubscribe;
		}

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			requireMaxConnections(maxConnections);
			this.maxConnections = maxConnections;
		}

		public @Nullable Boolean getPermessageDeflate() {
			return this.permessageDeflate;
		}

		public void setPermessageDeflate(@Nullable Boolean permessageDeflate) {
			this.permessageDeflate = permessageDeflate;
		}

	}

	/**
	 * The cluster relay: several nodes acting as one through Redis. The Redis connection
	 * itself is Spring Boot's, under {@code spring.data.redis.*}.
	 */
	public static class Cluster {

		/**
		 * Whether this node relays sends, multicasts and subscriptions to the other nodes
		 * through Redis. Needs spring-boot-starter-data-redis.
		 */
		private boolean enabled;

		/**
		 * Time after its last heartbeat when a node that stopped answering is forgotten,
		 * its channels and subscribers with it. Nodes beat every third of it.
		 */
		private Duration nodeTtl = Duration.ofSeconds(15);

		/**
		 * Prefix of the Redis keys and pub/sub channels of the relay; nodes sharing one
		 * prefix form one cluster.
		 */
		private String keyPrefix = "websocket";

		/**
		 * Maximum publications waiting for Redis on this node; further sends and
		 * multicasts to other nodes are dropped (local delivery goes on).
		 */
		private int maxPending = 10_000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getNodeTtl() {
			return this.nodeTtl;
		}

		public void setNodeTtl(Duration nodeTtl) {
			Assert.isTrue(nodeTtl.toMillis() >= 300, "must be at least 300ms, e.g. 15s");
			this.nodeTtl = nodeTtl;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			Assert.isTrue(keyPrefix.matches("[A-Za-z0-9._:-]+"),
					"must be letters, digits, '.', '_', ':' or '-', e.g. 'websocket'");
			this.keyPrefix = keyPrefix;
		}

		public int getMaxPending() {
			return this.maxPending;
		}

		public void setMaxPending(int maxPending) {
			Assert.isTrue(maxPending > 0, "must be positive, e.g. 10000");
			this.maxPending = maxPending;
		}

	}

}

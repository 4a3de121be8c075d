package dev.websocketstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of WebSocket apps. Every key under {@code websocket} is checked at
 * startup: one that binds to nothing fails it, naming the closest valid key.
 */
@ConfigurationProperties("websocket")
public class WebSocketProperties {

	private static final DataSize MIN_BUFFER_SIZE = DataSize.ofBytes(256);

	/** A DNS name or an IPv4 address; an IPv6 address in brackets. */
	private static final Pattern HOST_NAME = Pattern
		.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

	/**
	 * Whether the starter serves WebSocket apps. When false it configures nothing at all.
	 */
	private boolean enabled = true;

	/**
	 * WebSocket apps by name. An app whose section is missing or whose urls are empty is
	 * off.
	 */
	private final Map<String, AppProperties> apps = new LinkedHashMap<>();

	/**
	 * Options for every app that does not set them itself.
	 */
	@NestedConfigurationProperty
	private final AppOptions defaults = new AppOptions();

	/**
	 * Several nodes acting as one through Redis.
	 */
	@NestedConfigurationProperty
	private final ClusterProperties cluster = new ClusterProperties();

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

	/**
	 * Host names the apps answer to, such as chat.example.com; a handshake whose Host is
	 * another is refused with 403. Empty, the default, allows any. Set it on a server
	 * reachable by name: the default same-origin check compares Origin with Host, both of
	 * which a page on a DNS-rebinding attacker's name controls. Behind a reverse proxy,
	 * list the names the proxy passes on as Host (or X-Forwarded-Host, with
	 * server.forward-headers-strategy set).
	 */
	private List<String> allowedHosts = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, AppProperties> getApps() {
		return this.apps;
	}

	public AppOptions getDefaults() {
		return this.defaults;
	}

	public ClusterProperties getCluster() {
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
		AppOptions.requireNotNegative(shutdownTimeout);
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

	public List<String> getAllowedHosts() {
		return this.allowedHosts;
	}

	public void setAllowedHosts(List<String> allowedHosts) {
		for (String host : allowedHosts) {
			if (!HOST_NAME.matcher(host).matches()) {
				throw new IllegalArgumentException("'" + host
						+ "' in websocket.allowed-hosts is not a host name: list names such as chat.example.com,"
						+ " without scheme, port or path");
			}
		}
		this.allowedHosts = new ArrayList<>(allowedHosts);
	}

	private static void requireBufferSize(DataSize size) {
		// Tomcat needs room for a frame header, and a control frame's 125 bytes
		Assert.isTrue(size.toBytes() >= MIN_BUFFER_SIZE.toBytes(), "must be at least 256B, e.g. 1KB");
		Assert.isTrue(size.toBytes() <= Integer.MAX_VALUE, "must be at most 2GB");
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

}

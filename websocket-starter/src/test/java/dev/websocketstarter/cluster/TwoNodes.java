package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.test.EchoApp;

/**
 * A test cluster of two nodes, {@code node-a} and {@code node-b}, of one application
 * sharing a real {@link RedisServer} of their own; started, each sees the other alive.
 */
final class TwoNodes implements AutoCloseable {

	private final RedisServer redis;

	private final String keyPrefix;

	private final Class<?> application;

	private final String[] properties;

	private final List<ClusterNode> nodes = new ArrayList<>();

	private TwoNodes(RedisServer redis, String keyPrefix, Class<?> application, String[] properties) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.application = application;
		this.properties = properties;
	}

	/**
	 * Start two nodes of the {@link EchoApp} on {@code /ws/echo}.
	 */
	static TwoNodes start(String keyPrefix) {
		return start(keyPrefix, EchoApp.class, "websocket.apps.echo.urls=/ws/echo");
	}

	/**
	 * Start two nodes of an application of the test's, with its apps' properties.
	 */
	static TwoNodes start(String keyPrefix, Class<?> application, String... properties) {
		TwoNodes cluster = new TwoNodes(RedisServer.start(), keyPrefix, application, properties);
		try {
			cluster.nodes.add(cluster.startNode("node-a"));
			cluster.nodes.add(cluster.startNode("node-b"));
			ClusterNode.awaitAlive(cluster.a(), cluster.b());
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	RedisServer redis() {
		return this.redis;
	}

	ClusterNode a() {
		return this.nodes.get(0);
	}

	ClusterNode b() {
		return this.nodes.get(1);
	}

	/**
	 * Start another node like these two, for the caller to close.
	 */
	ClusterNode startNode(String nodeId) {
		return ClusterNode.start(nodeId, this.redis, this.keyPrefix, this.application, this.properties);
	}

	/**
	 * Start another node like these two that reaches Redis through a proxy, with more
	 * properties after theirs, for the caller to close.
	 */
	ClusterNode startNode(String nodeId, RedisProxy proxy, String... moreProperties) {
		List<String> all = new ArrayList<>(List.of(this.properties));
		all.addAll(List.of(moreProperties));
		return ClusterNode.start(nodeId, proxy.port(), this.keyPrefix, this.application, all.toArray(String[]::new));
	}

	@Override
	public void close() {
		this.nodes.forEach(ClusterNode::close);
		this.redis.stop();
	}

}

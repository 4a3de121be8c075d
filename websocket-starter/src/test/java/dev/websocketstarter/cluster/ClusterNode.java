package dev.websocketstarter.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node of a test cluster: the {@link EchoApp} on a random port, relaying through a
 * test's Redis server.
 */
final class ClusterNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	private ClusterNode(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static ClusterNode start(String nodeId, RedisServer redis, String keyPrefix) {
		return start(nodeId, redis, keyPrefix, EchoApp.class, "websocket.apps.echo.urls=/ws/echo");
	}

	/**
	 * Wait until each node sees every other as alive, so that what one relays the others
	 * hear.
	 */
	static void awaitAlive(ClusterNode... nodes) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (ClusterNode node : nodes) {
				for (ClusterNode other : nodes) {
					if (other != node) {
						assertThat(node.relay().otherNodes()).contains(other.relay().node());
					}
				}
			}
		});
	}

	/**
	 * Start a node of an application of the test's, with its apps' properties.
	 */
	static ClusterNode start(String nodeId, RedisServer redis, String keyPrefix, Class<?> application,
			String... properties) {
		return start(nodeId, redis.port(), keyPrefix, application, properties);
	}

	/**
	 * Start a node of an application of the test's that reaches Redis on a port of its
	 * own, such as a {@link RedisProxy}'s; its properties come last, so they may replace
	 * the defaults.
	 */
	static ClusterNode start(String nodeId, int redisPort, String keyPrefix, Class<?> application,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"websocket.node-id=" + nodeId, "websocket.cluster.enabled=true", "websocket.cluster.node-ttl=2s",
				"websocket.cluster.key-prefix=" + keyPrefix, "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redisPort, "spring.data.redis.timeout=1s"));
		all.addAll(List.of(properties));
		return new ClusterNode(new SpringApplicationBuilder(application).web(WebApplicationType.SERVLET)
			.properties(all.toArray(String[]::new))
			.run());
	}

	int port() {
		return this.context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	ChannelRegistry registry() {
		return this.context.getBean(ChannelRegistry.class);
	}

	ChannelRegistry local() {
		return this.context.getBean(LocalNode.class).registry();
	}

	ClusterRelay relay() {
		return this.context.getBean(ClusterRelay.class);
	}

	ClusterHealthIndicator health() {
		return this.context.getBean(ClusterHealthIndicator.class);
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/**
	 * Publish to a shard channel through the node's Redis, as someone who can reach it
	 * may: Spring Data Redis has no {@code SPUBLISH}.
	 */
	void spublish(String shardChannel, byte[] body) {
		AbstractRedisClient client = bean(LettuceConnectionFactory.class).getRequiredNativeClient();
		byte[] channel = shardChannel.getBytes(StandardCharsets.UTF_8);
		if (client instanceof RedisClusterClient cluster) {
			try (StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE)) {
				connection.sync().spublish(channel, body);
			}
		}
		else {
			try (StatefulRedisConnection<byte[], byte[]> connection = ((RedisClient) client)
				.connect(ByteArrayCodec.INSTANCE)) {
				connection.sync().spublish(channel, body);
			}
		}
	}

	/**
	 * Connect a client named {@code id}; it is subscribed to {@code /ws/echo}.
	 */
	WebSocketTestClient connect(String id) {
		WebSocketTestClient client = WebSocketTestClient.to(port(), "/ws/echo?id=" + id).open();
		this.clients.add(client);
		return client;
	}

	/**
	 * Connect a client named {@code id} to {@code /ws/echo}, as a user or not, with more
	 * query parameters such as {@code tier=gold}.
	 */
	WebSocketTestClient connect(String id, @Nullable String user, String... query) {
		StringBuilder path = new StringBuilder("/ws/echo?id=").append(id);
		if (user != null) {
			path.append("&user=").append(user);
		}
		for (String parameter : query) {
			path.append('&').append(parameter);
		}
		return connectTo(path.toString());
	}

	/**
	 * Connect a client to a path with a query, such as {@code /ws/other?id=x&user=alice}.
	 */
	WebSocketTestClient connectTo(String pathAndQuery) {
		WebSocketTestClient client = WebSocketTestClient.to(port(), pathAndQuery).open();
		this.clients.add(client);
		return client;
	}

	Channel channel(String id) {
		RecordingHandler handler = this.context.getBean(RecordingHandler.class);
		await().until(() -> handler.channel(id) != null);
		return handler.channel(id);
	}

	/**
	 * The channel of the client named {@code id}, of the app served by the handler bean
	 * of that name.
	 */
	Channel channel(String handlerBean, String id) {
		return this.context.getBean(handlerBean, RecordingHandler.class).awaitChannel(id);
	}

	RecordingHandler handler(String handlerBean) {
		return this.context.getBean(handlerBean, RecordingHandler.class);
	}

	@Override
	public void close() {
		this.clients.forEach(WebSocketTestClient::close);
		this.context.close();
	}

}

package dev.websocketstarter.cluster;

import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.JdkClient;
import dev.websocketstarter.test.RecordingHandler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * One node of a test cluster: the {@link EchoApp} on a random port, relaying through a
 * test's Redis server.
 */
final class ClusterNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final List<JdkClient> clients = new ArrayList<>();

	private ClusterNode(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static ClusterNode start(String nodeId, RedisServer redis, String keyPrefix) {
		return new ClusterNode(new SpringApplicationBuilder(EchoApp.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "websocket.node-id=" + nodeId,
					"websocket.apps.echo.urls=/ws/echo", "websocket.cluster.enabled=true",
					"websocket.cluster.node-ttl=2s", "websocket.cluster.key-prefix=" + keyPrefix,
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
					"spring.data.redis.timeout=1s")
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
	 * Connect a client named {@code id}; it is subscribed to {@code /ws/echo}.
	 */
	JdkClient connect(String id) {
		JdkClient client = JdkClient.connect(port(), "/ws/echo?id=" + id);
		this.clients.add(client);
		return client;
	}

	Channel channel(String id) {
		RecordingHandler handler = this.context.getBean(RecordingHandler.class);
		await().until(() -> handler.channel(id) != null);
		return handler.channel(id);
	}

	@Override
	public void close() {
		this.clients.forEach(JdkClient::close);
		this.context.close();
	}

}

package dev.websocketstarter.sample.chat;

import java.time.Duration;

import dev.websocketstarter.cluster.ClusterRelay;
import dev.websocketstarter.cluster.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Chat nodes for the cluster tests: the chat with its {@code cluster} profile, as the
 * README runs it, on a test's Redis server. Every client comes from 127.0.0.1, so the
 * limits per address are raised out of the way.
 */
final class ChatNodes {

	private ChatNodes() {
	}

	static ConfigurableApplicationContext start(String nodeId, RedisServer redis) {
		// Arguments, as the chat's application.yml outranks default properties
		return new SpringApplicationBuilder(ChatApplication.class).run("--spring.profiles.active=cluster",
				"--server.port=0", "--management.server.port=0", "--spring.main.banner-mode=off",
				"--websocket.node-id=" + nodeId, "--websocket.cluster.node-ttl=2s",
				"--websocket.cluster.key-prefix=chat-cluster", "--spring.data.redis.port=" + redis.port(),
				"--spring.data.redis.timeout=1s", "--chat.connections.max-per-address=1000",
				"--chat.connections.burst=1000", "--chat.rate-limit.burst=1000");
	}

	static void awaitEachOther(ConfigurableApplicationContext one, ConfigurableApplicationContext two) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> relay(one).otherNodes().contains(relay(two).node())
					&& relay(two).otherNodes().contains(relay(one).node()));
	}

	static ClusterRelay relay(ConfigurableApplicationContext node) {
		return node.getBean(ClusterRelay.class);
	}

	static int port(ConfigurableApplicationContext node) {
		return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}

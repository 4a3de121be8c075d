package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.cluster.ClusterChannelRegistry;
import dev.websocketstarter.cluster.ClusterRelay;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Makes this node one of a cluster when {@code websocket.cluster.enabled} is true: a
 * {@link ClusterRelay} over Spring Boot's Redis connection, which must be Lettuce's (a
 * single Redis, Sentinel, or a Redis Cluster under
 * {@code spring.data.redis.cluster.nodes}; Redis 7 or later), and the
 * {@link ChannelRegistry} becomes a {@link ClusterChannelRegistry} that wraps this node's
 * own. Ordered before {@link WebSocketAppsAutoConfiguration}, whose registry backs off,
 * and under the same conditions.
 */
@AutoConfiguration(before = WebSocketAppsAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(
		value = { WebSocketHandler.class, RedisConnectionFactory.class, RedisMessageListenerContainer.class },
		name = "jakarta.websocket.server.ServerContainer")
@ConditionalOnBooleanProperty(name = "websocket.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("websocket.cluster.enabled")
public final class WebSocketClusterAutoConfiguration {

	WebSocketClusterAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterRelay webSocketClusterRelay(LocalNode node, RedisConnectionFactory connectionFactory,
			WebSocketProperties properties) {
		ClusterProperties cluster = properties.getCluster();
		if (cluster.getSecret() == null && !cluster.getAcceptedSecrets().isEmpty()) {
			throw new WebSocketConfigurationException(
					"websocket.cluster.accepted-secrets is set without websocket.cluster.secret: nothing would be sealed",
					"Set websocket.cluster.secret to the secret the nodes seal with, or remove"
							+ " websocket.cluster.accepted-secrets");
		}
		if (!isLettuce(connectionFactory)) {
			throw new WebSocketConfigurationException(
					"websocket.cluster.enabled is true, but the Redis connection" + " factory is a "
							+ connectionFactory.getClass().getName()
							+ ": the cluster relay needs Lettuce, for Redis 7's sharded pub/sub",
					"Use Spring Data Redis's Lettuce client: keep io.lettuce:lettuce-core, which"
							+ " spring-boot-starter-data-redis brings, set spring.data.redis.client-type=lettuce, and"
							+ " make any RedisConnectionFactory bean of your own a LettuceConnectionFactory");
		}
		return new ClusterRelay(node, connectionFactory, cluster.getNodeTtl(), cluster.getKeyPrefix(),
				cluster.getMaxPending(), cluster.secrets());
	}

	private static boolean isLettuce(RedisConnectionFactory connectionFactory) {
		return ClassUtils.isPresent("io.lettuce.core.RedisClient", connectionFactory.getClass().getClassLoader())
				&& connectionFactory instanceof LettuceConnectionFactory;
	}

	@Bean
	@ConditionalOnMissingBean
	ChannelRegistry channelRegistry(LocalNode node, ClusterRelay relay) {
		return new ClusterChannelRegistry(node, relay);
	}

}

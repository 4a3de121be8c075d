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
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Makes this node one of a cluster when {@code websocket.cluster.enabled} is true: a
 * {@link ClusterRelay} over Spring Boot's Redis connection, and the
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
		return new ClusterRelay(node, connectionFactory, cluster.getNodeTtl(), cluster.getKeyPrefix(),
				cluster.getMaxPending(), cluster.secrets());
	}

	@Bean
	@ConditionalOnMissingBean
	ChannelRegistry channelRegistry(LocalNode node, ClusterRelay relay) {
		return new ClusterChannelRegistry(node, relay);
	}

}

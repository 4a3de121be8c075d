package dev.websocketstarter.cluster;

import dev.websocketstarter.autoconfigure.WebSocketAppsAutoConfiguration;
import dev.websocketstarter.registry.LocalChannelRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Makes this node one of a cluster when {@code websocket.cluster.enabled} is true: a
 * {@link ClusterRelay} over Spring Boot's Redis connection and a primary
 * {@link ClusterChannelRegistry}; the WebSocket handlers keep using the
 * {@link LocalChannelRegistry}.
 */
@AutoConfiguration(after = WebSocketAppsAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ RedisConnectionFactory.class, RedisMessageListenerContainer.class })
@ConditionalOnBooleanProperty("websocket.cluster.enabled")
@ConditionalOnBean(LocalChannelRegistry.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterAutoConfiguration {

	ClusterAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterRelay webSocketClusterRelay(LocalChannelRegistry local, RedisConnectionFactory connectionFactory,
			ClusterProperties properties) {
		return new ClusterRelay(local, connectionFactory, properties);
	}

	@Bean
	@Primary
	@ConditionalOnMissingBean
	ClusterChannelRegistry clusterChannelRegistry(LocalChannelRegistry local, ClusterRelay relay) {
		return new ClusterChannelRegistry(local, relay);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "webSocketClusterHealthIndicator")
		ClusterHealthIndicator webSocketClusterHealthIndicator(ClusterRelay relay) {
			return new ClusterHealthIndicator(relay);
		}

	}

}

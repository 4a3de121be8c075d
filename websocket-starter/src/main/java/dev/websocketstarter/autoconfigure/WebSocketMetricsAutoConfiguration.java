package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.actuate.WebSocketClusterMetrics;
import dev.websocketstarter.actuate.WebSocketMetrics;
import dev.websocketstarter.cluster.ClusterRelay;
import dev.websocketstarter.internal.channel.LocalNode;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Meters of the WebSocket apps, and of the cluster relay on a node of a cluster, when
 * Micrometer is present.
 */
@AutoConfiguration(after = { WebSocketAppsAutoConfiguration.class, WebSocketClusterAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(LocalNode.class)
public final class WebSocketMetricsAutoConfiguration {

	WebSocketMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketMetrics webSocketMetrics(LocalNode node, WebSocketApps apps) {
		return new WebSocketMetrics(node, apps.enabled().values());
	}

	/**
	 * Meters of the cluster relay, on a node of a cluster.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
	@ConditionalOnBean(type = "dev.websocketstarter.cluster.ClusterRelay")
	static class ClusterMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebSocketClusterMetrics webSocketClusterMetrics(ClusterRelay relay) {
			return new WebSocketClusterMetrics(relay);
		}

	}

}

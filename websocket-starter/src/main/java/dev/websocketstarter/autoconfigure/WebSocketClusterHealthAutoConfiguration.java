package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.cluster.ClusterHealthIndicator;
import dev.websocketstarter.cluster.ClusterRelay;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health of the cluster relay, when Spring Boot's health support is present and
 * {@code management.health.websocket-cluster.enabled} is not false.
 */
@AutoConfiguration(after = WebSocketClusterAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(ClusterRelay.class)
@ConditionalOnEnabledHealthIndicator("websocket-cluster")
public final class WebSocketClusterHealthAutoConfiguration {

	WebSocketClusterHealthAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "webSocketClusterHealthIndicator")
	ClusterHealthIndicator webSocketClusterHealthIndicator(ClusterRelay relay) {
		return new ClusterHealthIndicator(relay);
	}

}

package dev.websocketstarter.cluster;

import dev.websocketstarter.autoconfigure.WebSocketAppsAutoConfiguration;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.LocalChannelRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterAutoConfiguration}.
 */
class ClusterAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class, DataRedisAutoConfiguration.class,
				ClusterAutoConfiguration.class))
		// Nothing listens there: the relay starts down and never blocks startup
		.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.timeout=200ms");

	@Test
	void singleNodeIsTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChannelRegistry.class);
			assertThat(context.getBean(ChannelRegistry.class)).isInstanceOf(LocalChannelRegistry.class);
			assertThat(context).doesNotHaveBean(ClusterRelay.class);
		});
	}

	@Test
	void singleNodeNeedsNoRedisOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ChannelRegistry.class)).isInstanceOf(LocalChannelRegistry.class);
				assertThat(context).doesNotHaveBean(ClusterRelay.class);
			});
	}

	@Test
	void clusterEnabledMakesTheClusterRegistryThePrimaryOne() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(ClusterRelay.class);
			assertThat(context).hasSingleBean(ClusterChannelRegistry.class);
			assertThat(context).hasSingleBean(LocalChannelRegistry.class);
			assertThat(context.getBean(ChannelRegistry.class)).isInstanceOf(ClusterChannelRegistry.class);
			assertThat(context).hasSingleBean(ClusterHealthIndicator.class);
		});
	}

	@Test
	void healthIndicatorNeedsSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterChannelRegistry.class);
				assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class);
			});
	}

	@Test
	void nodeTtlBelowTheMinimumFailsWithTheProperty() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.node-ttl=100ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("at least 300ms");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("node-ttl");
			});
	}

	@Test
	void badKeyPrefixAndMaxPendingFail() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.key-prefix=a b")
			.run((context) -> assertThat(context).hasFailed());
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.max-pending=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("positive"));
	}

}

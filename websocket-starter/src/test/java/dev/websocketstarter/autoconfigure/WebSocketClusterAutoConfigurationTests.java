package dev.websocketstarter.autoconfigure;

import dev.websocketstarter.cluster.ClusterChannelRegistry;
import dev.websocketstarter.cluster.ClusterHealthIndicator;
import dev.websocketstarter.cluster.ClusterRelay;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebSocketClusterAutoConfiguration} and
 * {@link WebSocketClusterHealthAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketClusterAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class, DataRedisAutoConfiguration.class,
				WebSocketClusterAutoConfiguration.class, WebSocketClusterHealthAutoConfiguration.class))
		// Nothing listens there: the relay starts down and never blocks startup
		.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.timeout=200ms");

	@Test
	void singleNodeIsTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChannelRegistry.class);
			assertThat(context.getBean(ChannelRegistry.class)).isSameAs(context.getBean(LocalNode.class).registry());
			assertThat(context).doesNotHaveBean(ClusterRelay.class);
		});
	}

	@Test
	void singleNodeNeedsNoRedisOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ChannelRegistry.class)).isSameAs(context.getBean(LocalNode.class).registry());
			assertThat(context).doesNotHaveBean(ClusterRelay.class);
		});
	}

	@Test
	void clusterWithoutRedisOnTheClasspathFailsNamingTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(WebSocketConfigurationException.class)
					.hasMessage("websocket.cluster.enabled is true, but Spring Data Redis is not on the class path:"
							+ " this node would run alone");
				WebSocketConfigurationException failure = (WebSocketConfigurationException) NestedExceptionUtils
					.getRootCause(context.getStartupFailure());
				assertThat(failure.getAction()).contains("org.springframework.boot:spring-boot-starter-data-redis");
			});
	}

	@Test
	void clusterOverARedisClientOtherThanLettuceFailsNamingTheFix() {
		this.contextRunner.withUserConfiguration(OtherRedisClientConfiguration.class)
			.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(WebSocketConfigurationException.class)
					.hasMessageContaining("the cluster relay needs Lettuce, for Redis 7's sharded pub/sub");
				WebSocketConfigurationException failure = (WebSocketConfigurationException) NestedExceptionUtils
					.getRootCause(context.getStartupFailure());
				assertThat(failure.getAction()).contains("spring.data.redis.client-type=lettuce")
					.contains("LettuceConnectionFactory");
			});
	}

	@Test
	void clusterRegistryIsTheOnlyRegistryAndWrapsTheNodesOwn() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(ClusterRelay.class);
			assertThat(context).hasSingleBean(ChannelRegistry.class);
			assertThat(context).hasSingleBean(LocalNode.class);
			assertThat(context.getBean(ChannelRegistry.class)).isInstanceOf(ClusterChannelRegistry.class);
			assertThat(context).hasSingleBean(ClusterHealthIndicator.class);
		});
	}

	@Test
	void clusterWithoutASecretWarnsWhatSomeoneAtRedisCanDo(CapturedOutput output) {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> assertThat(output.getAll()).containsOnlyOnce("runs without websocket.cluster.secret")
				.contains("anyone who can reach Redis can read every multicast"));
	}

	@Test
	void clusterWithASecretSaysNothingOfIt(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("websocket.cluster.enabled=true",
					"websocket.cluster.secret=a secret of thirty-two characters or more")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.getAll()).doesNotContain("without websocket.cluster.secret");
			});
	}

	@Test
	void shortSecretOrAcceptedSecretsWithoutOneFailNamingTheFix() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.secret=short")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be at least 32 characters"));
		this.contextRunner
			.withPropertyValues("websocket.cluster.enabled=true",
					"websocket.cluster.accepted-secrets=a secret of thirty-two characters or more")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("websocket.cluster.accepted-secrets is set without websocket.cluster.secret"));
	}

	@Test
	void userRegistryWinsOverTheClusterRegistry() {
		this.contextRunner.withUserConfiguration(WebSocketAppsAutoConfigurationTests.UserRegistryConfiguration.class)
			.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRegistry.class);
				assertThat(context.getBean(ChannelRegistry.class)).isInstanceOf(UserRegistry.class);
				assertThat(context).hasSingleBean(ClusterRelay.class);
			});
	}

	@Test
	void clusterIsOffWithTheStarter() {
		this.contextRunner.withPropertyValues("websocket.enabled=false", "websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ClusterRelay.class);
				assertThat(context).doesNotHaveBean(ChannelRegistry.class);
			});
	}

	@Test
	void healthIndicatorNeedsSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.withPropertyValues("websocket.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterRelay.class);
				assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class);
			});
	}

	@Test
	void healthIndicatorCanBeTurnedOff() {
		this.contextRunner
			.withPropertyValues("websocket.cluster.enabled=true", "management.health.websocket-cluster.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterRelay.class);
				assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class);
			});
	}

	@Test
	void nodeTtlBelowTheMinimumFailsWithTheProperty() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.node-ttl=100ms")
			.run((context) -> assertBindFailure(context.getStartupFailure(), "websocket.cluster.node-ttl",
					"must be at least 300ms, e.g. 15s"));
	}

	@Test
	void badKeyPrefixFailsWithTheProperty() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.key-prefix=a b")
			.run((context) -> assertBindFailure(context.getStartupFailure(), "websocket.cluster.key-prefix",
					"must be letters, digits, '.', '_', ':' or '-', e.g. 'websocket'"));
	}

	@Test
	void zeroMaxPendingFailsWithTheProperty() {
		this.contextRunner.withPropertyValues("websocket.cluster.enabled=true", "websocket.cluster.max-pending=0")
			.run((context) -> assertBindFailure(context.getStartupFailure(), "websocket.cluster.max-pending",
					"must be positive, e.g. 10000"));
	}

	private static void assertBindFailure(Throwable failure, String property, String reason) {
		assertThat(failure).isNotNull();
		assertThat(failure).rootCause().isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
		BindException bindFailure = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bind) {
				bindFailure = bind;
			}
		}
		assertThat(bindFailure).isNotNull();
		assertThat(bindFailure.getProperty()).isNotNull();
		assertThat(bindFailure.getProperty().getName()).hasToString(property);
	}

	@Configuration(proxyBeanMethods = false)
	static class OtherRedisClientConfiguration {

		@Bean
		RedisConnectionFactory redisConnectionFactory() {
			return new OtherRedisClientConnectionFactory();
		}

	}

	/**
	 * A connection factory of a Redis client other than Lettuce, such as Jedis's.
	 */
	static class OtherRedisClientConnectionFactory implements RedisConnectionFactory {

		@Override
		public RedisConnection getConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return true;
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return null;
		}

	}

}

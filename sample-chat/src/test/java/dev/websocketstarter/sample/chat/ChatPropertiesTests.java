package dev.websocketstarter.sample.chat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatProperties}.
 */
class ChatPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsApplyWhenNothingIsSet() {
		this.contextRunner.run((context) -> {
			ChatProperties properties = context.getBean(ChatProperties.class);
			assertThat(properties.historySize()).isEqualTo(50);
			assertThat(properties.historyBytes()).isEqualTo(DataSize.ofKilobytes(64));
			assertThat(properties.maxTextBytes()).isEqualTo(DataSize.ofKilobytes(4));
			assertThat(properties.maxNameLength()).isEqualTo(32);
			assertThat(properties.rateLimit()).isEqualTo(new ChatProperties.RateLimit(5, Duration.ofSeconds(1), 10));
			assertThat(properties.connections())
				.isEqualTo(new ChatProperties.Connections(10, 10, Duration.ofSeconds(10), 20));
		});
	}

	@Test
	void settingsBindFromKebabCaseKeys() {
		this.contextRunner
			.withPropertyValues("chat.history-size=0", "chat.history-bytes=1KB", "chat.max-text-bytes=100B",
					"chat.max-name-length=5", "chat.rate-limit.messages=2", "chat.rate-limit.per=1m",
					"chat.rate-limit.burst=3", "chat.connections.max-per-address=4", "chat.connections.opens=5",
					"chat.connections.per=1m", "chat.connections.burst=6")
			.run((context) -> {
				ChatProperties properties = context.getBean(ChatProperties.class);
				assertThat(properties.historySize()).isZero();
				assertThat(properties.historyBytes()).isEqualTo(DataSize.ofKilobytes(1));
				assertThat(properties.maxTextBytes()).isEqualTo(DataSize.ofBytes(100));
				assertThat(properties.maxNameLength()).isEqualTo(5);
				assertThat(properties.rateLimit()).isEqualTo(new ChatProperties.RateLimit(2, Duration.ofMinutes(1), 3));
				assertThat(properties.connections())
					.isEqualTo(new ChatProperties.Connections(4, 5, Duration.ofMinutes(1), 6));
			});
	}

	@Test
	void tinyTextBytesFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat.max-text-bytes=8B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("chat.max-text-bytes"));
	}

	@Test
	void historyTooSmallForOneMessageFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat.history-bytes=1KB")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("chat.history-bytes")
				.hasMessageContaining("Use at least chat.max-text-bytes (4096B)"));
	}

	@Test
	void zeroConnectionsPerAddressFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat.connections.max-per-address=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("chat.connections.max-per-address"));
	}

	@Test
	void zeroRatePeriodFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat.rate-limit.per=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("chat.rate-limit.per"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ChatProperties.class)
	static class PropertiesConfiguration {

	}

}

package dev.websocketstarter.sample.chat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

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
			assertThat(properties.maxTextLength()).isEqualTo(2000);
			assertThat(properties.maxNameLength()).isEqualTo(32);
			assertThat(properties.rateLimit()).isEqualTo(new ChatProperties.RateLimit(5, Duration.ofSeconds(1), 10));
		});
	}

	@Test
	void settingsBindFromKebabCaseKeys() {
		this.contextRunner
			.withPropertyValues("chat.history-size=0", "chat.max-text-length=10", "chat.max-name-length=5",
					"chat.rate-limit.messages=2", "chat.rate-limit.per=1m", "chat.rate-limit.burst=3")
			.run((context) -> {
				ChatProperties properties = context.getBean(ChatProperties.class);
				assertThat(properties.historySize()).isZero();
				assertThat(properties.maxTextLength()).isEqualTo(10);
				assertThat(properties.maxNameLength()).isEqualTo(5);
				assertThat(properties.rateLimit()).isEqualTo(new ChatProperties.RateLimit(2, Duration.ofMinutes(1), 3));
			});
	}

	@Test
	void zeroTextLengthFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat.max-text-length=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("chat.max-text-length"));
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

package dev.websocketstarter.autoconfigure;

import java.util.List;

import dev.websocketstarter.actuate.WebSocketClusterMetrics;
import dev.websocketstarter.actuate.WebSocketEndpoint;
import dev.websocketstarter.actuate.WebSocketMetrics;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.WebSocketApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebSocketMetricsAutoConfiguration} and
 * {@link WebSocketEndpointAutoConfiguration}.
 */
class WebSocketActuatorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class,
				WebSocketMetricsAutoConfiguration.class, WebSocketEndpointAutoConfiguration.class))
		.withUserConfiguration(ChatHandlerConfiguration.class)
		.withPropertyValues("websocket.apps.chat.urls=/chat");

	@Test
	void metersAreBoundWhenMicrometerIsPresent() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WebSocketMetrics.class);
			// A single node: no relay to meter
			assertThat(context).doesNotHaveBean(WebSocketClusterMetrics.class);
			MeterRegistry meters = new SimpleMeterRegistry();
			context.getBean(WebSocketMetrics.class).bindTo(meters);
			assertThat(meters.get("websocket.channels").tag("app", "chat").gauge().value()).isZero();
			assertThat(meters.get("websocket.handshakes")
				.tag("outcome", "refused")
				.tag("reason", "origin")
				.functionCounter()
				.count()).isZero();
			assertThat(meters.get("websocket.closes").tag("code", "1009").functionCounter().count()).isZero();
			assertThat(meters.get("websocket.send.queue").tag("stat", "max").gauge().value()).isZero();
		});
	}

	@Test
	void startsWithoutMicrometerOrActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class, Endpoint.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(LocalNode.class);
				assertThat(context).doesNotHaveBean(WebSocketMetrics.class);
				assertThat(context).doesNotHaveBean(WebSocketEndpoint.class);
			});
	}

	@Test
	void disabledStarterHasNoMetersNorEndpoint() {
		this.contextRunner
			.withPropertyValues("websocket.enabled=false", "management.endpoints.web.exposure.include=websocket")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WebSocketMetrics.class);
				assertThat(context).doesNotHaveBean(WebSocketEndpoint.class);
			});
	}

	@Test
	void endpointExistsOnlyWhenExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WebSocketEndpoint.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=websocket")
			.run((context) -> assertThat(context).hasSingleBean(WebSocketEndpoint.class));
	}

	@Test
	void userMetricsBinderReplacesTheStartersOwn() {
		this.contextRunner.withUserConfiguration(CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBean(WebSocketMetrics.class)
				.isSameAs(context.getBean(CustomMetricsConfiguration.class).metrics));
	}

	@Configuration(proxyBeanMethods = false)
	static class ChatHandlerConfiguration {

		@Bean
		@WebSocketApp("chat")
		ChannelHandler chatHandler() {
			return new ChannelHandler() {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		WebSocketMetrics metrics;

		@Bean
		WebSocketMetrics customMetrics(LocalNode node) {
			this.metrics = new WebSocketMetrics(node, List.of());
			return this.metrics;
		}

	}

}

package dev.websocketstarter.json;

import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.autoconfigure.WebSocketAppsAutoConfiguration;
import dev.websocketstarter.autoconfigure.WebSocketConfigurationException;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.WebSocketApp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the typed JSON part of {@link WebSocketAppsAutoConfiguration}: the
 * {@link JsonSender} bean and apps whose handler is a {@link JsonChannelHandler}.
 */
class JsonConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketAppsAutoConfiguration.class));

	private final WebApplicationContextRunner withJackson = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebSocketAppsAutoConfiguration.class));

	@Test
	void senderIsABeanWithTheApplicationsJsonMapper() {
		this.withJackson.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			assertThat(context).hasSingleBean(JsonSender.class);
			assertThat(context.getBean(JsonSender.class).write(new Quote("ACME", 3)))
				.isEqualTo(context.getBean(JsonMapper.class).writeValueAsString(new Quote("ACME", 3)))
				.contains("\"symbol_name\":\"ACME\"");
		});
	}

	@Test
	void senderIsNotABeanWithoutJsonMapper() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(JsonSender.class);
		});
	}

	@Test
	void senderOfTheApplicationWins() {
		this.withJackson.withUserConfiguration(SenderConfiguration.class)
			.run((context) -> assertThat(context).getBean(JsonSender.class)
				.isSameAs(context.getBean(SenderConfiguration.class).sender));
	}

	@Test
	void jsonAppStartsWithJsonMapper() {
		this.withJackson.withUserConfiguration(OrderHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.orders.urls=/orders")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void jsonAppWithoutJsonMapperFailsNamingTheFix() {
		this.contextRunner.withUserConfiguration(OrderHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.orders.urls=/orders")
			.run((context) -> assertMissingJackson(context));
	}

	@Test
	void jsonAppWithoutJacksonOnTheClassPathFailsNamingTheFix() {
		this.withJackson.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.withUserConfiguration(OrderHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.orders.urls=/orders")
			.run((context) -> assertMissingJackson(context));
	}

	@Test
	void jsonHandlerWhoseMessageTypeIsNotDeclaredFailsStartup() {
		this.withJackson.withUserConfiguration(UndeclaredTypeHandlerConfiguration.class)
			.withPropertyValues("websocket.apps.orders.urls=/orders")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(causes(context.getStartupFailure())).map(Throwable::getMessage)
					.anySatisfy((message) -> assertThat(message).contains(GenericHandler.class.getName(),
							"must declare the type of its messages"));
			});
	}

	private static void assertMissingJackson(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		assertThat(causes(context.getStartupFailure())).filteredOn(WebSocketConfigurationException.class::isInstance)
			.map(WebSocketConfigurationException.class::cast)
			.singleElement()
			.satisfies((failure) -> {
				assertThat(failure.getMessage()).contains("'orders'", "JsonChannelHandler",
						"no Jackson JsonMapper bean");
				assertThat(failure.getAction()).contains("spring-boot-starter-jackson", ChannelHandler.class.getName());
			});
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	record Order(String symbol, int quantity) {
	}

	record Quote(String symbolName, int quantity) {
	}

	static class OrderHandler implements JsonChannelHandler<Order> {

		@Override
		public void onMessage(Channel channel, Order message) {
		}

	}

	static class GenericHandler<T> implements JsonChannelHandler<T> {

		@Override
		public void onMessage(Channel channel, T message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderHandlerConfiguration {

		@Bean
		@WebSocketApp("orders")
		OrderHandler orderHandler() {
			return new OrderHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UndeclaredTypeHandlerConfiguration {

		@Bean
		@WebSocketApp("orders")
		GenericHandler<Order> orderHandler() {
			return new GenericHandler<>();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SenderConfiguration {

		final JsonSender sender;

		SenderConfiguration(ChannelRegistry registry) {
			this.sender = new JsonSender(registry, JsonMapper.builder().build());
		}

		@Bean
		JsonSender applicationSender() {
			return this.sender;
		}

	}

}

package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.stream.IntStream;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for closing channels when the application shuts down.
 */
class ShutdownIntegrationTests {

	@Test
	void shutdownWritesQueuedMessagesThenClosesEveryChannelWith1001() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApp.class)
			.properties("server.port=0", "websocket.apps.echo.urls=/ws/echo")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		ChannelRegistry registry = context.getBean(ChannelRegistry.class);
		RecordingHandler handler = context.getBean(RecordingHandler.class);
		try (WebSocketTestClient first = WebSocketTestClient.to(port, "/ws/echo?id=first").open();
				WebSocketTestClient second = WebSocketTestClient.to(port, "/ws/echo?id=second").open()) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> handler.channel("first") != null && handler.channel("second") != null);
			IntStream.range(0, 500).forEach((i) -> registry.multicast("/ws/echo", "message " + i));
			context.close();
			assertThat(first.awaitClose().getCode()).isEqualTo(1001);
			assertThat(second.awaitClose().getCode()).isEqualTo(1001);
			assertThat(first.awaitClose().getReason()).isEqualTo("Server is shutting down");
			assertThat(first.texts()).hasSize(500).endsWith("message 499");
			assertThat(second.texts()).hasSize(500).endsWith("message 499");
		}
	}

}

package dev.websocketstarter.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.IntStream;

import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for closing channels when the application shuts down, within
 * {@code websocket.shutdown-timeout}.
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

	@Test
	void pausedContextKeepsItsChannelsAndServesThemWhenItRestarts() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApp.class)
			.properties("server.port=0", "websocket.apps.echo.urls=/ws/echo")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			try (WebSocketTestClient client = WebSocketTestClient.to(port, "/ws/echo?id=paused").open()) {
				Channel channel = handler.awaitChannel("paused");
				// What the test framework does to a cached context between test classes
				context.pause();
				context.restart();
				assertThat(context.getBean(ChannelRegistry.class).isOpen(channel)).isTrue();
				client.send("echo:after the pause");
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(client.texts()).containsExactly("after the pause"));
			}
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void channelStillWritingWhenShutdownTimeoutRunsOutIsLeftToTheContainer(CapturedOutput output) throws IOException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				SendPromisesIntegrationTests.TestApp.class)
			.properties("server.port=0", "websocket.apps.echo.urls=/ws/echo", "websocket.shutdown-timeout=1s",
					"websocket.apps.echo.ping-interval=0", "websocket.apps.echo.send-buffer-limit=16MB",
					"websocket.apps.echo.send-time-limit=10m")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (RawClient stuck = RawClient.handshake(port, "/ws/echo?id=stuck", 4096)) {
			Channel channel = context.getBean(RecordingHandler.class).awaitChannel("stuck");
			// Far more than the sockets' buffers hold, and it never reads: the channel
			// cannot flush before the timeout, nor its writes time out
			byte[] chunk = new byte[64 * 1024];
			IntStream.range(0, 64).forEach((i) -> context.getBean(ChannelRegistry.class).send(channel, chunk));
			long started = System.nanoTime();
			context.close();
			Duration closing = Duration.ofNanos(System.nanoTime() - started);
			assertThat(output).contains("1 channels did not close within shutdown-timeout PT1S");
			assertThat(closing).as("shutdown, with a 1 s timeout and a 10 min send time limit")
				.isLessThan(Duration.ofMinutes(1));
			stuck.startReading(false);
			await().atMost(Duration.ofSeconds(10)).until(stuck::isEndOfStream);
		}
	}

}

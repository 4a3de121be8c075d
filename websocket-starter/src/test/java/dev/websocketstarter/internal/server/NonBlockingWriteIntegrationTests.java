package dev.websocketstarter.internal.server;

import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.SendResult;
import dev.websocketstarter.test.Backlog;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a peer that stops reading holds no writer thread on the starter's transport:
 * with one writer thread, a blocking write to it would hold back every other channel for
 * up to {@code send-time-limit}.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.writer-threads=1", "websocket.defaults.ping-interval=0",
				"websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.send-time-limit=60s",
				"websocket.apps.echo.send-buffer-limit=64MB" })
class NonBlockingWriteIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler handler;

	@Test
	void peerThatStopsReadingDoesNotHoldBackOthers() throws Exception {
		try (RawClient stuck = RawClient.handshake(this.port, "/ws/echo?id=stuck", 4096);
				WebSocketTestClient healthy = WebSocketTestClient.to(this.port, "/ws/echo?id=healthy").open()) {
			Channel stuckChannel = this.handler.awaitChannel("stuck");
			Channel healthyChannel = this.handler.awaitChannel("healthy");
			Backlog.queue(this.registry, stuckChannel);
			// The one writer thread drains the stuck channel first, until its output is
			// full
			assertThat(this.registry.send(healthyChannel, "still served")).isEqualTo(SendResult.QUEUED);
			await().atMost(WAIT).until(() -> healthy.texts().contains("still served"));
			assertThat(this.registry.isOpen(stuckChannel)).isTrue();
			stuck.startReading(true);
			await().atMost(WAIT).until(() -> stuck.texts().size() == Backlog.MESSAGES);
			assertThat(stuck.texts()).allMatch(Backlog.MESSAGE::equals);
		}
	}

}

package dev.websocketstarter.registry;

import java.time.Duration;

import dev.websocketstarter.codec.Frame;
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
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the container's WebSocket layer, whose writes block: when a peer that reads
 * nothing closes while the one writer thread is blocked writing to it, the writer is
 * freed by {@code send-time-limit}, the peer's close is heard and the other channels are
 * served. The peer's close alone does not free the writer: the container answers it only
 * once the blocked write ends (with a limit of 60 s, the close was not heard within 10 s
 * on Tomcat or Jetty).
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.transport=container", "websocket.writer-threads=1",
				"websocket.defaults.ping-interval=0", "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.send-time-limit=1s", "websocket.apps.echo.send-buffer-limit=64MB" })
class BlockedWriteIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler handler;

	@Test
	void writerBlockedOnAPeerThatClosedIsFreedBySendTimeLimitAndTheCloseIsHeard() throws Exception {
		try (RawClient stuck = RawClient.handshake(this.port, "/ws/echo?id=blocking", 4096);
				WebSocketTestClient healthy = WebSocketTestClient.to(this.port, "/ws/echo?id=behind").open()) {
			Channel stuckChannel = this.handler.awaitChannel("blocking");
			Channel healthyChannel = this.handler.awaitChannel("behind");
			Backlog.queue(this.registry, stuckChannel);
			// Behind the stuck channel's drain, which blocks the one writer thread
			this.registry.send(healthyChannel, "served");
			stuck.send(Frame.close(1000, "bye"));
			await().atMost(WAIT).until(() -> this.handler.closeStatus(stuckChannel) != null);
			assertThat(this.handler.closeStatus(stuckChannel)).isEqualTo(CloseStatus.NORMAL.withReason("bye"));
			await().atMost(WAIT).until(() -> healthy.texts().contains("served"));
			stuck.startReading(false);
			await().atMost(WAIT).until(stuck::isEndOfStream);
		}
	}

}

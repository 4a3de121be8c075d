package dev.websocketstarter.internal.server;

import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.test.Backlog;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for closes the server starts on the starter's transport: the handler hears of the
 * close when the close frame goes out, and the connection waits for the peer's answer at
 * most {@code send-time-limit}.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.echo.urls=/ws/echo",
				"websocket.apps.echo.send-time-limit=500ms", "websocket.apps.echo.send-buffer-limit=64MB" })
class CloseHandshakeIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler handler;

	@Test
	void peerThatNeverAnswersTheCloseFrameIsDisconnectedAfterSendTimeLimit() throws Exception {
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=silent")) {
			client.startReading(true);
			Channel channel = this.handler.awaitChannel("silent");
			this.registry.close(channel, CloseStatus.NORMAL.withReason("bye"));
			await().atMost(WAIT).until(() -> client.closeCode() != null);
			long closeFrameAt = System.nanoTime();
			assertThat(client.closeCode()).isEqualTo(1000);
			assertThat(client.closeReason()).isEqualTo("bye");
			// The handler hears of the close after the frame went out
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.handler.closeStatus(channel))
					.isEqualTo(CloseStatus.NORMAL.withReason("bye")));
			// The client never answers: only the server's close timeout ends the
			// connection
			await().atMost(WAIT).until(client::isEndOfStream);
			assertThat(client.readFailure()).isNull();
			// It waited for an answer: a server that dropped the connection after its
			// close frame would end it at once
			assertThat(Duration.ofNanos(System.nanoTime() - closeFrameAt)).as("time from close frame to end")
				.isGreaterThanOrEqualTo(Duration.ofMillis(400));
		}
	}

	@Test
	void closeOfAPeerThatStoppedReadingEndsAfterSendTimeLimit() throws Exception {
		try (RawClient stalled = RawClient.handshake(this.port, "/ws/echo?id=stalled", 4096)) {
			Channel channel = this.handler.awaitChannel("stalled");
			Backlog.queue(this.registry, channel);
			// The close waits behind the queue, which the peer never reads: nothing is
			// sent to the channel any more, and pings are off, so only the heartbeat's
			// send-time-limit check ends it
			assertThat(this.registry.close(channel, CloseStatus.NORMAL)).isTrue();
			await().atMost(WAIT).until(() -> this.handler.closeStatus(channel) != null);
			assertThat(this.handler.closeStatus(channel).getCode()).isEqualTo(1008);
			assertThat(this.registry.isOpen(channel)).isFalse();
			stalled.startReading(true);
			await().atMost(WAIT).until(stalled::isEndOfStream);
		}
	}

}

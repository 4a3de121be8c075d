package dev.websocketstarter.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.websocketstarter.test.Backlog;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for what {@link ChannelRegistry} promises about what it is given and what it
 * returns: a send refused under the close policy says so, arrays are copied, and the sets
 * and maps it returns are snapshots. A client that does not read, behind small socket
 * buffers, keeps messages in the channel's queue for as long as a test needs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.ping-interval=0",
				"websocket.apps.echo.auto-subscribe=false", "websocket.apps.echo.send-buffer-limit=64KB",
				"websocket.apps.echo.send-time-limit=30s" })
class SendPromisesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private RecordingHandler echo;

	@Test
	void sendBeyondTheSendBufferLimitIsRejectedAndTheChannelClosedWith1008() throws IOException {
		try (RawClient stuck = RawClient.handshake(this.port, "/ws/echo?id=rejected", 4096)) {
			Channel channel = this.echo.awaitChannel("rejected");
			byte[] chunk = new byte[8 * 1024];
			SendResult result = SendResult.QUEUED;
			int sent = 0;
			while (result == SendResult.QUEUED && sent < 10_000) {
				result = this.registry.send(channel, chunk);
				sent++;
			}
			assertThat(result).as("result of send %d", sent).isEqualTo(SendResult.REJECTED);
			assertThat(this.registry.isOpen(channel)).isFalse();
			assertThat(this.registry.send(channel, chunk)).as("after the rejection").isEqualTo(SendResult.CLOSED);
			stuck.startReading(false);
			await().atMost(WAIT).until(() -> this.echo.closeStatus(channel) != null);
			assertThat(this.echo.closeStatus(channel).getCode()).isEqualTo(1008);
		}
	}

	@Test
	void arraysSentOrMulticastAreCopiedSoTheCallerMayReuseThem() throws IOException {
		try (RawClient stuck = RawClient.handshake(this.port, "/ws/echo?id=copied", 4096)) {
			Channel channel = this.echo.awaitChannel("copied");
			assertThat(this.registry.subscribe(channel, "copies")).isTrue();
			// More than the sockets' buffers hold: what follows waits in the channel's
			// queue
			byte[] filler = new byte[40 * 1024];
			assertThat(this.registry.send(channel, filler)).isEqualTo(SendResult.QUEUED);
			byte[] sent = "sent".getBytes(StandardCharsets.US_ASCII);
			byte[] multicast = "multicast".getBytes(StandardCharsets.US_ASCII);
			assertThat(this.registry.send(channel, sent)).isEqualTo(SendResult.QUEUED);
			assertThat(this.registry.multicast("copies", multicast)).isOne();
			Arrays.fill(sent, (byte) 'x');
			Arrays.fill(multicast, (byte) 'x');
			stuck.startReading(false);
			await().atMost(WAIT).until(() -> stuck.binaries().size() == 3);
			assertThat(stuck.binaries().subList(1, 3)).extracting((data) -> new String(data, StandardCharsets.US_ASCII))
				.containsExactly("sent", "multicast");
		}
	}

	@Test
	void setsAndMapsReturnedAreImmutableSnapshots() throws IOException {
		try (RawClient client = RawClient.handshake(this.port, "/ws/echo?id=snapshot").startReading(true)) {
			Channel channel = this.echo.awaitChannel("snapshot");
			assertThat(this.registry.subscribe(channel, "snapshot-1")).isTrue();
			Set<Channel> subscribers = this.registry.subscribers("snapshot-1");
			Set<String> subscriptions = this.registry.subscriptions(channel);
			Map<String, Integer> counts = this.registry.subscriptionCounts();
			assertThat(this.registry.subscribe(channel, "snapshot-2")).isTrue();
			assertThat(this.registry.unsubscribe(channel, "snapshot-1")).isTrue();
			assertThat(subscribers).containsExactly(channel);
			assertThat(subscriptions).containsExactly("snapshot-1");
			assertThat(counts).containsEntry("snapshot-1", 1).doesNotContainKey("snapshot-2");
			assertThat(this.registry.subscriptions(channel)).containsExactly("snapshot-2");
			for (Runnable change : List.<Runnable>of(subscribers::clear, subscriptions::clear, counts::clear)) {
				assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(change::run);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import({ EchoApp.class, Backlog.SmallSendBuffers.class })
	static class TestApp {

	}

}

package dev.websocketstarter.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the send buffer limit and overflow policies, with clients that stop reading.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.fanout.urls=/ws/fanout",
				"websocket.apps.fanout.send-buffer-limit=64KB", "websocket.apps.fanout.send-time-limit=2s",
				"websocket.apps.drop.urls=/ws/drop", "websocket.apps.drop.overflow=drop-oldest",
				"websocket.apps.drop.send-buffer-limit=16KB", "websocket.apps.drop.send-time-limit=60s" })
class SlowConsumerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/**
	 * Far more than the kernel's socket buffers on both ends can hold, so the server's
	 * queue must back up.
	 */
	private static final int MAX_MESSAGES = 40_000;

	private static final String PADDING = "p".repeat(1000);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	@Qualifier("fanoutHandler")
	private RecordingHandler fanout;

	@Autowired
	@Qualifier("dropHandler")
	private RecordingHandler drop;

	private Channel channel(RecordingHandler handler, String id) {
		return handler.awaitChannel(id);
	}

	@Test
	void stuckConsumerIsClosedWhileOthersReceiveEveryMessage() throws Exception {
		try (WebSocketTestClient healthy = WebSocketTestClient.to(this.port, "/ws/fanout?id=healthy").open();
				RawClient stuck = RawClient.handshake(this.port, "/ws/fanout?id=stuck", 4096)) {
			Channel healthyChannel = channel(this.fanout, "healthy");
			Channel stuckChannel = channel(this.fanout, "stuck");
			List<String> sent = new ArrayList<>();
			while (this.registry.isOpen(stuckChannel) && sent.size() < MAX_MESSAGES) {
				for (int burst = 0; burst < 32; burst++) {
					String message = sent.size() + PADDING;
					this.registry.multicast("/ws/fanout", message);
					sent.add(message);
				}
				// Pace on the healthy reader, so only the stuck one can fall behind
				await().atMost(WAIT).until(() -> healthy.texts().size() == sent.size());
			}
			assertThat(this.registry.isOpen(stuckChannel)).as("stuck channel closed after %d messages", sent.size())
				.isFalse();
			// Whichever thread closed it, leaving the subscriptions follows
			await().atMost(WAIT)
				.untilAsserted(
						() -> assertThat(this.registry.subscribers("/ws/fanout")).containsExactly(healthyChannel));
			assertThat(this.registry.send(stuckChannel, "more")).isEqualTo(SendResult.CLOSED);
			this.registry.multicast("/ws/fanout", "after");
			sent.add("after");
			await().atMost(WAIT).untilAsserted(() -> assertThat(healthy.texts()).isEqualTo(sent));
			await().atMost(WAIT).until(() -> this.fanout.closeStatus(stuckChannel) != null);
			assertThat(this.fanout.closeStatus(stuckChannel).getCode()).isEqualTo(1008);
			assertThat(this.registry.isOpen(healthyChannel)).isTrue();
		}
	}

	@Test
	void dropOldestKeepsTheSlowChannelOpenAndDeliversTheNewestInOrder() throws Exception {
		try (RawClient slow = RawClient.handshake(this.port, "/ws/drop?id=slow", 4096)) {
			Channel channel = channel(this.drop, "slow");
			for (int i = 0; i < MAX_MESSAGES; i++) {
				assertThat(this.registry.send(channel, i + PADDING)).isEqualTo(SendResult.QUEUED);
			}
			assertThat(this.registry.send(channel, "last")).isEqualTo(SendResult.QUEUED);
			assertThat(this.registry.isOpen(channel)).isTrue();
			slow.startReading(true);
			await().atMost(WAIT).untilAsserted(() -> assertThat(slow.texts()).contains("last"));
			List<String> received = slow.texts();
			assertThat(received).hasSizeLessThan(MAX_MESSAGES);
			List<Integer> numbers = received.stream()
				.filter((text) -> !text.equals("last"))
				.map((text) -> Integer.parseInt(text.substring(0, text.length() - PADDING.length())))
				.toList();
			// In order, once each; what the writer took while the queue overflowed has
			// gaps (the first ones may be gone too), but the queue kept the newest: a run
			// of
			// about 16KB of them, up to the last one sent
			assertThat(numbers).isSorted().doesNotHaveDuplicates().endsWith(MAX_MESSAGES - 1);
			int newest = numbers.size() - 1;
			while (newest > 0 && numbers.get(newest - 1) == numbers.get(newest) - 1) {
				newest--;
			}
			assertThat(numbers.size() - newest).as("newest run in %s", numbers).isGreaterThanOrEqualTo(10);
			assertThat(this.registry.isOpen(channel)).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApp {

		@Bean
		@WebSocketApp("fanout")
		RecordingHandler fanoutHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

		@Bean
		@WebSocketApp("drop")
		RecordingHandler dropHandler(ChannelRegistry registry) {
			return new RecordingHandler(registry);
		}

	}

}

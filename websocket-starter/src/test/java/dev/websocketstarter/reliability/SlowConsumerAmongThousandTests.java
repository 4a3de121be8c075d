package dev.websocketstarter.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.test.Backlog;
import dev.websocketstarter.test.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for one stuck consumer among a thousand subscribers: the others receive every
 * message in order, the stuck one is closed once its send buffer limit is reached, and
 * the heap stays bounded.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.mirror.urls=/ws/mirror",
				"websocket.apps.mirror.send-buffer-limit=64KB", "websocket.apps.mirror.send-time-limit=5s" })
@ExtendWith(CaseCounter.class)
class SlowConsumerAmongThousandTests {

	private static final int HEALTHY = 999;

	/**
	 * Far more than the stuck consumer's socket buffers and send buffer limit hold.
	 */
	private static final int MAX_MESSAGES = 2_000;

	private static final int BURST = 16;

	private static final String PADDING = ":" + "p".repeat(1000);

	private static final long HEAP_BOUND = 64L * 1024 * 1024;

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Autowired
	private LocalNode node;

	@Test
	@Category("Slow consumer")
	void stuckConsumerIsClosedWhileAThousandOthersReceiveEverything() throws Exception {
		HttpClient httpClient = HttpClient.newHttpClient();
		URI uri = URI.create("ws://localhost:" + this.port + "/ws/mirror");
		List<CountingListener> healthy = new ArrayList<>();
		for (int i = 0; i < HEALTHY; i++) {
			CountingListener listener = new CountingListener();
			listener.webSocket = httpClient.newWebSocketBuilder()
				.buildAsync(uri, listener)
				.orTimeout(10, TimeUnit.SECONDS)
				.join();
			healthy.add(listener);
		}
		await().atMost(WAIT).until(() -> this.registry.subscriberCount("/ws/mirror") == HEALTHY);
		Set<Channel> healthyChannels = this.registry.subscribers("/ws/mirror");
		try (RawClient stuck = RawClient.handshake(this.port, "/ws/mirror", 4096)) {
			await().atMost(WAIT).until(() -> this.registry.subscriberCount("/ws/mirror") == HEALTHY + 1);
			Set<Channel> all = new HashSet<>(this.registry.subscribers("/ws/mirror"));
			all.removeAll(healthyChannels);
			Channel stuckChannel = all.iterator().next();
			long heapBefore = usedHeapAfterGc();
			int sent = 0;
			while (this.registry.isOpen(stuckChannel) && sent < MAX_MESSAGES) {
				sent = publishBurst(sent, healthy);
			}
			assertThat(this.registry.isOpen(stuckChannel)).as("stuck channel closed after %d messages", sent).isFalse();
			// Whichever thread closed it, leaving the subscriptions follows
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.registry.subscribers("/ws/mirror")).doesNotContain(stuckChannel)
					.hasSize(HEALTHY));
			// Read now: the close frame waits behind what the stuck peer left unread, and
			// after send-time-limit the server gives up on it
			stuck.startReading(false);
			int stuckClosedAfter = sent;
			for (int i = 0; i < 4; i++) {
				sent = publishBurst(sent, healthy);
			}
			long heapAfter = usedHeapAfterGc();
			System.out.printf(
					"Slow consumer: stuck one closed after %d messages; %d healthy subscribers received all %d;"
							+ " used heap %d MB before publishing, %d MB after%n",
					stuckClosedAfter, HEALTHY, sent, heapBefore >> 20, heapAfter >> 20);
			int published = sent;
			assertThat(healthy).allSatisfy((listener) -> {
				assertThat(listener.received.get()).as("messages received").isEqualTo(published);
				assertThat(listener.expected).as("one past the last number received").isEqualTo(published);
				assertThat(listener.outOfOrder.get()).as("numbers out of sequence").isZero();
			});
			assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(HEAP_BOUND);
			await().atMost(WAIT).until(() -> stuck.closeCode() != null || stuck.isEndOfStream());
			assertThat(stuck.closeCode()).as("close code of the stuck consumer").isEqualTo(1008);
		}
		finally {
			for (CountingListener listener : healthy) {
				listener.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
			}
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.node.channelCount()).isZero());
	}

	/**
	 * Multicast a burst and pace on the healthy subscribers, so only the stuck one can
	 * fall behind.
	 */
	private int publishBurst(int sent, List<CountingListener> healthy) {
		int next = sent;
		for (int i = 0; i < BURST; i++) {
			this.registry.multicast("/ws/mirror", next + PADDING);
			next++;
		}
		int expected = next;
		await().atMost(WAIT).until(() -> healthy.stream().allMatch((listener) -> listener.received.get() == expected));
		return next;
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Counts the messages it receives and checks their sequence numbers, keeping none of
	 * them, so that a thousand clients cost little heap.
	 */
	static final class CountingListener implements WebSocket.Listener {

		final AtomicInteger received = new AtomicInteger();

		final AtomicInteger outOfOrder = new AtomicInteger();

		private final StringBuilder partial = new StringBuilder();

		volatile int expected;

		volatile WebSocket webSocket;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				int number = Integer.parseInt(this.partial, 0, this.partial.indexOf(":"), 10);
				if (number != this.expected) {
					this.outOfOrder.incrementAndGet();
				}
				this.expected = number + 1;
				this.partial.setLength(0);
				this.received.incrementAndGet();
			}
			webSocket.request(1);
			return null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ MirrorApp.class, Backlog.SmallSendBuffers.class })
	static class TestApp {

	}

}

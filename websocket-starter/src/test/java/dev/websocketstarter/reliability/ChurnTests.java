package dev.websocketstarter.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the registry under connection churn: many short connections from a few
 * threads over loopback, closed cleanly, reset, or abandoned in the middle of the
 * handshake, leave no channel and no subscription behind. The URL is the class's own, so
 * its context is too: no other class shares the node whose channels it counts.
 */
@SpringBootTest(classes = MirrorApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.mirror.urls=/ws/churn" })
@ExtendWith(CaseCounter.class)
class ChurnTests {

	/**
	 * Connect/close cycles; {@code -Dreliability.churn.cycles=100000} for the full run.
	 */
	private static final int CYCLES = Integer.getInteger("reliability.churn.cycles", 100_000);

	private static final int THREADS = 4;

	private static final String[] KINDS = { "clean close", "reset", "vanished mid-handshake" };

	/**
	 * Source addresses 127.0.0.2 to 127.0.0.17: each cycle's socket waits in TIME_WAIT on
	 * the client side, and 100,000 of them outnumber the ephemeral ports of one address
	 * unless the kernel reuses them (tcp_tw_reuse), which it need not.
	 */
	private static final int SOURCES = 16;

	@LocalServerPort
	private int port;

	@Autowired
	private LocalNode node;

	@Test
	@Category("Churn")
	void connectCloseCyclesLeaveNoChannelAndNoSubscription() throws Exception {
		AtomicInteger next = new AtomicInteger();
		AtomicLongArray done = new AtomicLongArray(KINDS.length);
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		long started = System.nanoTime();
		try {
			List<CompletableFuture<Void>> workers = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				workers.add(CompletableFuture.runAsync(() -> {
					for (int cycle = next.getAndIncrement(); cycle < CYCLES; cycle = next.getAndIncrement()) {
						int kind = cycle % KINDS.length;
						try {
							cycle(cycle, kind);
							done.incrementAndGet(kind);
						}
						catch (IOException | RuntimeException ex) {
							failures.add(KINDS[kind] + " #" + cycle + ": " + ex);
						}
					}
				}, pool));
			}
			CompletableFuture<Void> all = CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new));
			await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100)).until(all::isDone);
		}
		finally {
			pool.shutdownNow();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf(
				"Churn: %d cycles (%d clean closes, %d resets, %d vanished mid-handshake) in %.1f s,"
						+ " %.0f cycles/s, %d failures%n",
				CYCLES, done.get(0), done.get(1), done.get(2), seconds, CYCLES / seconds, failures.size());
		assertThat(failures).as("failed cycles").isEmpty();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.node.channelCount()).isZero();
			assertThat(this.node.subscriptionCounts()).isEmpty();
		});
		try (RawClient fresh = RawClient.handshake(this.port, "/ws/churn").startReading(true)) {
			fresh.send(Frame.text("still serving"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(fresh.texts()).containsExactly("still serving"));
		}
	}

	private void cycle(int cycle, int kind) throws IOException {
		InetAddress source = InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) (2 + cycle % SOURCES) });
		if (kind == 2) {
			vanishMidHandshake(source);
			return;
		}
		RawClient client = RawClient.handshakeFrom(source, this.port, "/ws/churn", 0);
		try {
			if (client.status() != 101) {
				throw new IllegalStateException("Handshake answered " + client.status());
			}
			if (kind == 1) {
				client.reset();
				return;
			}
			client.send(Frame.close(1000, "bye"));
			// The server answers the close and ends the connection
			InputStream input = client.input();
			byte[] buffer = new byte[256];
			while (input.read(buffer) != -1) {
				// drain the close frame
			}
		}
		finally {
			client.close();
		}
	}

	private void vanishMidHandshake(InetAddress source) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(source, 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 5_000);
			OutputStream output = socket.getOutputStream();
			output.write(("GET /ws/churn HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nUpgrade: websocket\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			output.flush();
		}
	}

}

package dev.websocketstarter.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.websocketstarter.codec.Frame;
import dev.websocketstarter.internal.channel.LocalNode;
import dev.websocketstarter.test.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for an app's {@code max-connections}: handshakes beyond it get 503 before the
 * upgrade, and a channel let through by a race is closed with 1013. The app takes it from
 * {@code websocket.defaults}.
 */
@SpringBootTest(classes = MirrorApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.defaults.ping-interval=0", "websocket.apps.mirror.urls=/ws/mirror",
				"websocket.defaults.max-connections=3" })
@ExtendWith(CaseCounter.class)
class ConnectionLimitTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private LocalNode node;

	private final List<RawClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() throws IOException {
		for (RawClient client : this.clients) {
			client.close();
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.node.channelCount()).isZero());
	}

	@Test
	@Category("Connection limit")
	void handshakeBeyondMaxConnectionsIsRefusedWith503UntilAChannelCloses() throws Exception {
		List<RawClient> admitted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			admitted.add(connect());
			assertThat(admitted.get(i).status()).isEqualTo(101);
		}
		await().atMost(WAIT).until(() -> this.node.stats().channels("mirror") == 3);
		RawClient refused = connect();
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.header("Sec-WebSocket-Accept")).isNull();
		assertThat(this.node.stats().channels("mirror")).isEqualTo(3);
		for (RawClient client : admitted) {
			assertEchoes(client.startReading(true));
		}
		admitted.get(0).send(Frame.close(1000, "leaving"));
		await().atMost(WAIT).until(() -> this.node.stats().channels("mirror") == 2);
		RawClient next = connect();
		assertThat(next.status()).isEqualTo(101);
		assertEchoes(next.startReading(true));
		assertThat(connect().status()).isEqualTo(503);
	}

	@Test
	@Category("Connection limit")
	void concurrentHandshakesNeverLeaveMoreThanMaxConnectionsOpen() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(16);
		try {
			List<CompletableFuture<RawClient>> handshakes = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				handshakes.add(CompletableFuture.supplyAsync(this::connectUnchecked, executor));
			}
			List<RawClient> upgraded = new ArrayList<>();
			for (CompletableFuture<RawClient> handshake : handshakes) {
				RawClient client = handshake.join();
				assertThat(client.status()).isIn(101, 503);
				if (client.status() == 101) {
					upgraded.add(client.startReading(true));
				}
			}
			assertThat(upgraded).isNotEmpty();
			// A channel let through by the race is closed with 1013; the others stay open
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(upgraded).allSatisfy((client) -> {
					if (client.isEndOfStream()) {
						assertThat(client.closeCode()).isEqualTo(1013);
					}
				});
				long open = upgraded.stream().filter((client) -> client.closeCode() == null).count();
				assertThat(open).isBetween(1L, 3L).isEqualTo(this.node.stats().channels("mirror"));
			});
			for (RawClient client : upgraded) {
				if (client.closeCode() == null) {
					assertEchoes(client);
				}
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private RawClient connect() throws IOException {
		RawClient client = RawClient.handshake(this.port, "/ws/mirror");
		this.clients.add(client);
		return client;
	}

	private RawClient connectUnchecked() {
		try {
			RawClient client = RawClient.handshake(this.port, "/ws/mirror");
			synchronized (this.clients) {
				this.clients.add(client);
			}
			return client;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertEchoes(RawClient client) throws IOException {
		String text = "echo " + System.identityHashCode(client);
		client.send(Frame.text(text));
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.texts()).contains(text));
	}

}

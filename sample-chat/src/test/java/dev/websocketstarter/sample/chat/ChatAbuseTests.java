package dev.websocketstarter.sample.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat against hostile clients on the open internet, each test from addresses of its
 * own, told by {@code X-Forwarded-For} as a reverse proxy would with Boot's
 * forwarded-headers support on. The limits per address are small, and never refill within
 * a test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.forward-headers-strategy=native", "chat.rate-limit.burst=60",
				"chat.rate-limit.messages=1", "chat.rate-limit.per=1h", "chat.connections.max-per-address=3",
				"chat.connections.opens=1", "chat.connections.per=1h", "chat.connections.burst=6" })
class ChatAbuseTests {

	private static final String ROOM = "/websocket/chat";

	private static final String OTHER_ROOM = "/websocket/chat2";

	/** The longest text of control characters: 682 of them take 4,092 bytes as JSON. */
	private static final String LONGEST_ESCAPED = "\u0001".repeat(682);

	@LocalServerPort
	private int port;

	private final List<AutoCloseable> clients = new ArrayList<>();

	@AfterEach
	void closeClients() throws Exception {
		for (AutoCloseable client : this.clients) {
			client.close();
		}
	}

	@Test
	void roomFilledWithTheLargestMessagesStillWelcomesNewcomersWithAHistoryThatFits() {
		ChatClient attacker = join("198.51.100.1", OTHER_ROOM, "filler");
		attacker.say("\u0001".repeat(2000));
		await().atMost(ChatClient.TIMEOUT).until(() -> attacker.errors().contains("text-too-long"));
		IntStream.rangeClosed(1, 55).forEach((i) -> attacker.say(LONGEST_ESCAPED));
		await().atMost(ChatClient.TIMEOUT).until(() -> attacker.texts().size() == 55);

		ChatClient newcomer = join("198.51.100.2", OTHER_ROOM, "newcomer");
		await().atMost(ChatClient.TIMEOUT).until(() -> !newcomer.frames("history").isEmpty());
		JsonNode history = newcomer.frames("history").get(0);
		assertThat(history.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024 + 100);
		assertThat(history.get("messages").size()).isBetween(10, 16);
		newcomer.say("made it");
		newcomer.awaitText("made it");
		attacker.awaitText("made it");
	}

	@Test
	void messagesAreLimitedPerAddressAcrossItsConnections() {
		ChatClient first = join("198.51.100.10", ROOM, "flood1");
		ChatClient second = join("198.51.100.10", ROOM, "flood2");
		ChatClient other = join("198.51.100.11", ROOM, "other");
		IntStream.rangeClosed(1, 40).forEach((i) -> {
			first.say("one " + i);
			second.say("two " + i);
		});
		await().atMost(ChatClient.TIMEOUT).until(() -> first.errors().size() + second.errors().size() == 20);
		assertThat(first.errors()).containsOnly("rate-limited");
		other.say("other is fine");
		first.awaitText("other is fine");
		// Its own message reaches other after the flood's, which were queued to it first
		other.awaitText("other is fine");
		assertThat(other.texts()).filteredOn((text) -> text.startsWith("one ") || text.startsWith("two ")).hasSize(60);
	}

	@Test
	void anAddressHoldsAtMostItsConnectionsAndOthersStillConnect() {
		List<ChatClient> held = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			held.add(join("198.51.100.20", ROOM, "held" + i));
		}
		assertThat(ChatClient.from("198.51.100.20", this.port, ROOM, "fourth").openRefused()).isEqualTo(429);
		join("198.51.100.21", ROOM, "neighbour");
		held.get(0).close();
		// Once the server counted the close, the address may connect again
		await().atMost(ChatClient.TIMEOUT)
			.ignoreExceptions()
			.until(() -> this.clients.add(ChatClient.joinFrom("198.51.100.20", this.port, ROOM, "again")));
	}

	@Test
	void connectingInALoopIsRefusedOnceTheBurstIsSpentSoTheRoomHearsOfFewJoins() {
		ChatClient watcher = join("198.51.100.30", ROOM, "watcher");
		int refused = 0;
		for (int i = 1; i <= 20; i++) {
			WebSocketTestClient.Builder builder = ChatClient.from("198.51.100.31", this.port, ROOM, "loop" + i);
			if (i <= 6) {
				builder.open().close();
			}
			else if (builder.openRefused() == 429) {
				refused++;
			}
		}
		assertThat(refused).isEqualTo(14);
		watcher.say("marker");
		watcher.awaitText("marker");
		assertThat(watcher.joined()).filteredOn((name) -> name.startsWith("loop")).hasSizeLessThanOrEqualTo(6);
	}

	private ChatClient join(String address, String room, String name) {
		ChatClient client = ChatClient.joinFrom(address, this.port, room, name);
		this.clients.add(client);
		return client;
	}

}

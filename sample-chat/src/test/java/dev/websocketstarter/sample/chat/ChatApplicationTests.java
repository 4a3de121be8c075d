package dev.websocketstarter.sample.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.websocketstarter.registry.ChannelRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChatApplication}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ChannelRegistry registry;

	@Test
	void messageReachesTheOtherMembersOfTheRoomOnly() {
		Member alice = new Member(this.port, "/websocket/chat");
		Member bob = new Member(this.port, "/websocket/chat");
		Member carol = new Member(this.port, "/websocket/chat2");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.registry.subscriberCount("/websocket/chat") == 2
					&& this.registry.subscriberCount("/websocket/chat2") == 1);
		alice.send("hello room one");
		carol.send("hello room two");
		bob.send("marker");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(bob.received).containsExactly("hello room one");
			assertThat(alice.received).containsExactly("marker");
			assertThat(carol.received).isEmpty();
		});
	}

	static final class Member implements WebSocket.Listener {

		final List<String> received = new CopyOnWriteArrayList<>();

		private final WebSocket webSocket;

		Member(int port, String room) {
			this.webSocket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create("ws://localhost:" + port + room), this)
				.join();
		}

		void send(String text) {
			this.webSocket.sendText(text, true).join();
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.received.add(data.toString());
			webSocket.request(1);
			return null;
		}

	}

}

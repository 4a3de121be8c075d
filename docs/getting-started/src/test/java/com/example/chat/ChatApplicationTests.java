package com.example.chat;

import dev.websocketstarter.test.autoconfigure.AutoConfigureWebSocketTestClient;
import dev.websocketstarter.test.autoconfigure.WebSocketTestClients;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebSocketTestClient
class ChatApplicationTests {

	@Autowired
	WebSocketTestClients clients;

	@Test
	void relaysToTheRoomButNotToOtherRooms() {
		try (WebSocketTestClient alice = this.clients.to("/ws/chat").query("name", "alice").open();
				WebSocketTestClient bob = this.clients.to("/ws/chat").query("name", "bob").open();
				WebSocketTestClient carol = this.clients.to("/ws/chat2").query("name", "carol").open();
				WebSocketTestClient dave = this.clients.to("/ws/chat2").query("name", "dave").open()) {
			alice.awaitText("Welcome, alice");
			bob.awaitText("Welcome, bob");
			alice.awaitText("bob joined");
			bob.send("hi");
			alice.awaitText("bob: hi");
			dave.awaitText("Welcome, dave");
			carol.send("anyone?");
			dave.awaitText("carol: anyone?");
			// Had carol's message reached the first room, it would be queued before this marker
			bob.send("marker");
			alice.awaitText("bob: marker");
			assertThat(alice.texts()).doesNotContain("carol: anyone?");
		}
	}

	@Test
	void refusesAHandshakeWithoutAName() {
		assertThat(this.clients.to("/ws/chat").openRefused()).isEqualTo(403);
	}

}

package dev.websocketstarter.test.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.registry.ChannelHandler;
import dev.websocketstarter.registry.ChannelRegistry;
import dev.websocketstarter.registry.Handshake;
import dev.websocketstarter.registry.WebSocketApp;
import dev.websocketstarter.test.autoconfigure.AutoConfigureWebSocketTestClient;
import dev.websocketstarter.test.autoconfigure.WebSocketTestClients;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WebSocketTestClient}, {@link WebSocketClientAssert} and
 * {@link WebSocketTestClients} against a real app on a random port: an echo that greets
 * with what the handshake carried and closes on request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/echo",
				"websocket.apps.echo.allowed-origins=https://allowed.example" })
@AutoConfigureWebSocketTestClient
class WebSocketTestClientTests {

	@Autowired
	private WebSocketTestClients clients;

	@Test
	void opensAPathOfTheAppWithQueryOriginAndCookieAndWaitsForJsonAndText() {
		try (WebSocketTestClient client = this.clients.to("/echo")
			.query("name", "alice & bob")
			.origin("https://allowed.example")
			.cookie("session", "s1")
			.open()) {
			WebSocketMessage welcome = client.awaitJson("/type", "welcome");
			assertThat(welcome.at("/name").stringValue()).isEqualTo("alice & bob");
			assertThat(welcome.at("/origin").stringValue()).isEqualTo("https://allowed.example");
			assertThat(welcome.at("/cookie").stringValue()).isEqualTo("session=s1");
			client.send("hello");
			WebSocketClientAssert.assertThat(client).receivesText("hello").receivesJson("/type", "welcome");
			assertThat(client.next()).isEqualTo(welcome);
			assertThat(client.next().asText()).isEqualTo("hello");
		}
	}

	@Test
	void binaryMessagesArriveWholeAndPingsAreAnswered() {
		try (WebSocketTestClient client = this.clients.open("/echo")) {
			// Below the app's 64 KB max-message-size, above what one read brings
			byte[] large = new byte[60_000];
			large[59_999] = 7;
			client.send(large).ping("are you there".getBytes(StandardCharsets.UTF_8));
			WebSocketMessage echoed = client.awaitMessage((message) -> !message.isText(), "a binary message");
			assertThat(echoed.bytes()).isEqualTo(large);
		}
	}

	@Test
	void waitThatFailsShowsWhatArrivedAndHowTheConnectionEnded() {
		try (WebSocketTestClient client = this.clients.to("/echo").timeout(Duration.ofMillis(300)).open()) {
			client.send("first").send("close:4001");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitText("never sent"))
				.withMessageContaining("Expected within 300 ms from ws://localhost:")
				.withMessageContaining("text \"never sent\"; received 2 messages:")
				.withMessageContaining("1. text \"{\"type\":\"welcome\"")
				.withMessageContaining("2. text \"first\"")
				.withMessageContaining("then the server closed with 4001 \"closing on request\"");
		}
	}

	@Test
	void closeByTheServerIsAwaitedWithItsCodeAndReason() {
		WebSocketTestClient client = this.clients.open("/echo");
		client.send("close:4002");
		assertThat(client.awaitClose()).isEqualTo(new CloseStatus(4002, "closing on request"));
		assertThat(client.isClosed()).isTrue();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> WebSocketClientAssert.assertThat(client).isClosedWith(1000))
			.withMessageContaining("to be closed with 1000, but it was closed with CloseStatus[code=4002");
	}

	@Test
	void hasReceivedTextsComparesExactlyAndShowsWhatArrived() {
		try (WebSocketTestClient client = this.clients.open("/echo")) {
			client.send("one");
			client.awaitText("one");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> WebSocketClientAssert.assertThat(client).hasReceivedTexts("one"))
				.withMessageContaining("to have received exactly [one], but it received [text \"{");
		}
	}

	@Test
	void refusedHandshakeGivesItsStatusAndAFailedOpenNamesIt() {
		assertThat(this.clients.to("/echo").origin("https://evil.example").openRefused()).isEqualTo(403);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.clients.to("/echo").origin("https://evil.example").open())
			.withMessageContaining("the server answered the handshake with HTTP 403");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.clients.to("/echo").openRefused())
			.withMessageContaining("but it accepted it");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EchoApp {

		@Bean
		@WebSocketApp("echo")
		ChannelHandler echo(ChannelRegistry registry) {
			return new ChannelHandler() {

				@Override
				public void onOpen(Channel channel, Handshake handshake) {
					String cookie = handshake.headers().getFirst("Cookie");
					registry.send(channel, "{\"type\":\"welcome\",\"name\":\"" + handshake.queryParameter("name")
							+ "\",\"origin\":\"" + handshake.origin() + "\",\"cookie\":\"" + cookie + "\"}");
				}

				@Override
				public void onText(Channel channel, String text) {
					if (text.startsWith("close:")) {
						registry.close(channel,
								new CloseStatus(Integer.parseInt(text.substring(6)), "closing on request"));
					}
					else {
						registry.send(channel, text);
					}
				}

				@Override
				public void onBinary(Channel channel, byte[] data) {
					registry.send(channel, data);
				}

			};
		}

	}

}

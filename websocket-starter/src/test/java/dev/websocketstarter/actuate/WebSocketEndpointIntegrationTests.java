package dev.websocketstarter.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RawClient;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WebSocketMetrics} and {@link WebSocketEndpoint} over HTTP, with real
 * traffic.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "websocket.apps.echo.max-message-size=1KB",
				"management.endpoints.web.exposure.include=websocket,metrics",
				"management.endpoint.websocket.access=unrestricted", "spring.web.error.include-message=always" })
class WebSocketEndpointIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private RecordingHandler echo;

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private double metric(String name, String... tags) throws Exception {
		StringBuilder path = new StringBuilder("/actuator/metrics/" + name + "?tag=app:echo");
		for (String tag : tags) {
			path.append("&tag=").append(tag);
		}
		return get(path.toString()).path("measurements").get(0).path("value").asDouble();
	}

	@Test
	void metersCountTrafficRefusalsAndCloses() throws Exception {
		double sentBefore = metric("websocket.messages.sent");
		double bytesSentBefore = metric("websocket.bytes.sent");
		double receivedBefore = metric("websocket.messages.received");
		double tooBigBefore = metric("websocket.closes", "code:1009");
		double originBefore = metric("websocket.handshakes", "outcome:refused", "reason:origin");
		try (WebSocketTestClient client = WebSocketTestClient.to(this.port, "/ws/echo?id=metered").open()) {
			client.send("echo:hello");
			client.send("echo:world");
			await().atMost(WAIT).until(() -> client.texts().size() == 2);
			await().atMost(WAIT).until(() -> metric("websocket.channels") >= 1);
			assertThat(metric("websocket.messages.received")).isEqualTo(receivedBefore + 2);
			// The writer counts a message once written: the client may read it a moment
			// earlier
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(metric("websocket.messages.sent")).isEqualTo(sentBefore + 2);
				assertThat(metric("websocket.bytes.sent")).isEqualTo(bytesSentBefore + "helloworld".length());
			});
			client.send("x".repeat(2000));
			assertThat(client.awaitClose().getCode()).isEqualTo(1009);
		}
		await().atMost(WAIT).until(() -> metric("websocket.closes", "code:1009") == tooBigBefore + 1);
		try (RawClient refused = RawClient.handshake(this.port, "/ws/echo", "Origin: https://elsewhere.example")) {
			assertThat(refused.status()).isEqualTo(403);
		}
		assertThat(metric("websocket.handshakes", "outcome:refused", "reason:origin")).isEqualTo(originBefore + 1);
	}

	@Test
	void endpointDescribesAppsAndSubscriptionsAndClosesAChannel() throws Exception {
		try (WebSocketTestClient client = WebSocketTestClient.to(this.port, "/ws/echo?id=described").open()) {
			await().atMost(WAIT).until(() -> this.echo.channel("described") != null);
			Channel channel = this.echo.channel("described");
			JsonNode node = get("/actuator/websocket");
			assertThat(node.path("channels").asInt()).isPositive();
			JsonNode app = node.path("apps").path("echo");
			assertThat(app.path("urls").get(0).asString()).isEqualTo("/ws/echo");
			assertThat(app.path("options").path("maxMessageSize").asLong()).isEqualTo(1024);
			assertThat(app.path("options").path("overflow").asString()).isEqualTo("CLOSE");
			assertThat(app.path("channels").asInt()).isPositive();
			assertThat(node.path("subscriptions").path("echo:/ws/echo").asInt()).isPositive();
			HttpResponse<String> closed = post(
					"{\"channel\": \"" + channel + "\", \"code\": 4001, \"reason\": \"by operator\"}");
			assertThat(closed.statusCode()).isEqualTo(200);
			assertThat(this.json.readTree(closed.body()).path("closing").asBoolean()).isTrue();
			assertThat(client.awaitClose().getCode()).isEqualTo(4001);
			assertThat(client.awaitClose().getReason()).isEqualTo("by operator");
		}
	}

	@Test
	void badCloseRequestsAreRefusedWith400AndAShortMessageAndCloseNothing() throws Exception {
		try (WebSocketTestClient client = WebSocketTestClient.to(this.port, "/ws/echo?id=kept").open()) {
			await().atMost(WAIT).until(() -> this.echo.channel("kept") != null);
			Channel channel = this.echo.channel("kept");
			assertRefused(post("{\"channel\": \"not a channel\"}"), "Not a channel handle such as 'chat#17@node-1'");
			assertRefused(post("{\"channel\": \"" + channel + "\", \"code\": 99}"),
					"Use a close code such as 1000, 1001 or 1008, or one from 3000 to 4999");
			assertRefused(
					post("{\"channel\": \"" + channel + "\", \"code\": 4001, \"reason\": \"" + "x".repeat(124) + "\"}"),
					"Use a reason of at most 123 bytes in UTF-8");
			assertThat(client.isClosed()).isFalse();
			client.send("echo:still open");
			client.awaitText("still open");
		}
	}

	private void assertRefused(HttpResponse<String> response, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).path("message").asString()).isEqualTo(message);
		assertThat(response.body()).doesNotContain("Exception", "\tat ");
	}

	private HttpResponse<String> post(String body) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/websocket"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}

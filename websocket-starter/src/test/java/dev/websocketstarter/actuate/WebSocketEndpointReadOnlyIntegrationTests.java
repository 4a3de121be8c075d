package dev.websocketstarter.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.websocketstarter.registry.Channel;
import dev.websocketstarter.test.EchoApp;
import dev.websocketstarter.test.RecordingHandler;
import dev.websocketstarter.test.client.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link WebSocketEndpoint}'s default access: exposed, it describes, but
 * closes no one until an operator asks for unrestricted access.
 */
@SpringBootTest(classes = EchoApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "websocket.apps.echo.urls=/ws/echo", "management.endpoints.web.exposure.include=websocket" })
class WebSocketEndpointReadOnlyIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private RecordingHandler echo;

	@Test
	void endpointDescribesButItsCloseIsNotThere() throws Exception {
		try (WebSocketTestClient client = WebSocketTestClient.to(this.port, "/ws/echo?id=safe").open()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.echo.channel("safe") != null);
			Channel channel = this.echo.channel("safe");
			URI endpoint = URI.create("http://localhost:" + this.port + "/actuator/websocket");
			HttpResponse<String> described = this.http.send(HttpRequest.newBuilder(endpoint).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(described.statusCode()).isEqualTo(200);
			assertThat(described.body()).contains("\"echo\"");
			HttpResponse<String> closed = this.http.send(HttpRequest.newBuilder(endpoint)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"channel\": \"" + channel + "\", \"code\": 1003}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(closed.statusCode()).isEqualTo(405);
			client.send("echo:still open");
			client.awaitText("still open");
		}
	}

}

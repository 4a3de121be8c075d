package dev.websocketstarter.sample.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the chat's management port: health, metrics and the websocket endpoint, apart
 * from the chat's port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatManagementTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void healthMetricsAndTheWebSocketEndpointAreOnTheManagementPortOnly() throws Exception {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		assertThat(get(this.managementPort, "/actuator/health").body()).contains("\"UP\"");
		assertThat(get(this.managementPort, "/actuator/metrics/websocket.channels").statusCode()).isEqualTo(200);
		assertThat(get(this.managementPort, "/actuator/websocket").body()).contains("/websocket/chat2");
		assertThat(get(this.port, "/actuator/health").statusCode()).isEqualTo(404);
	}

}

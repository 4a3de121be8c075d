package dev.websocketstarter.sample.chat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the chat's management port: on loopback only, health for anyone, the rest for
 * the operator, and the websocket endpoint's close off.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.security.user.password=" + ChatManagementTests.PASSWORD)
class ChatManagementTests {

	static final String PASSWORD = "operator-test-secret";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void healthIsForAnyoneAndTheRestForTheOperator() throws Exception {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		assertThat(get("/actuator/health", null).body()).contains("\"UP\"");
		assertThat(get("/actuator/metrics/websocket.channels", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/websocket", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/websocket", "wrong").statusCode()).isEqualTo(401);
		assertThat(get("/actuator/metrics/websocket.channels", PASSWORD).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/websocket", PASSWORD).body()).contains("/websocket/chat2");
		HttpResponse<String> home = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(home.statusCode()).isEqualTo(404);
	}

	@Test
	void operatorCannotCloseChannelsUntilTheEndpointIsMadeUnrestricted() throws Exception {
		HttpResponse<String> close = this.http
			.send(authorized(URI.create("http://localhost:" + this.managementPort + "/actuator/websocket"), PASSWORD)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"channel\": \"chat#1@node\", \"code\": 1003}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(close.statusCode()).isEqualTo(405);
	}

	@Test
	void managementPortListensOnLoopbackOnly() throws Exception {
		InetAddress outside = Collections.list(NetworkInterface.getNetworkInterfaces())
			.stream()
			.filter(this::isUp)
			.flatMap((network) -> Collections.list(network.getInetAddresses()).stream())
			.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
			.findFirst()
			.orElseThrow(() -> new AssertionError("This test needs a network address other than loopback"));
		try (Socket chat = new Socket()) {
			chat.connect(new InetSocketAddress(outside, this.port), 2000);
		}
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (Socket management = new Socket()) {
				management.connect(new InetSocketAddress(outside, this.managementPort), 2000);
			}
		});
	}

	private boolean isUp(NetworkInterface network) {
		try {
			return network.isUp();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private HttpResponse<String> get(String path, String password) throws Exception {
		HttpRequest.Builder request = (password != null)
				? authorized(URI.create("http://localhost:" + this.managementPort + path), password)
				: HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + path));
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder authorized(URI uri, String password) {
		return HttpRequest.newBuilder(uri)
			.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8)));
	}

}

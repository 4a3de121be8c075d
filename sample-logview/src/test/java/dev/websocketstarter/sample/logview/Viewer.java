package dev.websocketstarter.sample.logview;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.websocketstarter.test.client.WebSocketMessage;
import dev.websocketstarter.test.client.WebSocketTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A log viewer speaking the JSON protocol, with HTTP Basic credentials, on the starter's
 * {@link WebSocketTestClient}.
 */
final class Viewer implements AutoCloseable {

	private static final String PATH = "/admin/websocket/log-view";

	private final WebSocketTestClient client;

	private Viewer(WebSocketTestClient client) {
		this.client = client;
	}

	static Viewer connect(int port, String user, String password) {
		return new Viewer(WebSocketTestClient.to(port, PATH).basicAuth(user, password).open());
	}

	/**
	 * The HTTP status a refused handshake got.
	 */
	static int refusedStatus(int port, String user, String password) {
		return WebSocketTestClient.to(port, PATH).basicAuth(user, password).openRefused();
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	void send(String text) {
		this.client.send(text);
	}

	List<JsonNode> frames() {
		return this.client.received().stream().map(WebSocketMessage::asJson).toList();
	}

	List<JsonNode> frames(String type) {
		return frames().stream().filter((frame) -> frame.path("type").asString().equals(type)).toList();
	}

	/**
	 * Every line received for a file, in order.
	 */
	List<String> lines(String file) {
		return frames("lines").stream()
			.filter((frame) -> frame.path("file").asString().equals(file))
			.flatMap((frame) -> frame.path("lines").valueStream().map(JsonNode::asString))
			.toList();
	}

	@Override
	public void close() {
		this.client.close();
	}

}

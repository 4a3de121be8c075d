package dev.websocketstarter.sample.logview;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A log viewer speaking the JSON protocol over the JDK's WebSocket client, with HTTP
 * Basic credentials.
 */
final class Viewer implements WebSocket.Listener, AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

	private final StringBuilder partial = new StringBuilder();

	private final WebSocket webSocket;

	private Viewer(int port, String user, String password) {
		this.webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization", basic(user, password))
			.buildAsync(URI.create("ws://localhost:" + port + "/admin/websocket/log-view"), this)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
	}

	static Viewer connect(int port, String user, String password) {
		return new Viewer(port, user, password);
	}

	/**
	 * The HTTP status a refused handshake got.
	 */
	static int refusedStatus(int port, String user, String password) {
		try {
			connect(port, user, password).close();
			return 101;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
				return refused.getResponse().statusCode();
			}
			throw ex;
		}
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	void send(String text) {
		this.webSocket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	List<JsonNode> frames() {
		return this.frames;
	}

	List<JsonNode> frames(String type) {
		return this.frames.stream().filter((frame) -> frame.path("type").asString().equals(type)).toList();
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
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.frames.add(json.readTree(this.partial.toString()));
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
	}

}

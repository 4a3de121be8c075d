package dev.websocketstarter.sample.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chat member for tests: a {@code java.net.http.WebSocket} that keeps every frame it
 * receives.
 */
final class ChatClient implements WebSocket.Listener, AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

	private final List<JsonNode> subscribed = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private volatile String closeReason = "";

	private final WebSocket webSocket;

	private ChatClient(URI uri) {
		this.webSocket = http.newWebSocketBuilder().buildAsync(uri, this).join();
	}

	/**
	 * Join a room and wait for the welcome.
	 * @param port the server port
	 * @param room the room URL
	 * @param name the name to ask for, {@code null} for none
	 * @return the member, welcomed
	 */
	static ChatClient join(int port, String room, String name) {
		ChatClient client = connect(port, room, name);
		await().atMost(TIMEOUT).until(() -> !client.frames("welcome").isEmpty());
		return client;
	}

	/**
	 * Open a connection to a room, without waiting for the welcome.
	 * @param port the server port
	 * @param room the room URL
	 * @param name the name to ask for, {@code null} for none
	 * @return the client
	 */
	static ChatClient connect(int port, String room, String name) {
		return connect(port, room, name, null);
	}

	/**
	 * Join a room again, asking the starter to recover what was missed since a position,
	 * and wait for the welcome.
	 * @param recover {@code <epoch>:<offset>:<room>}
	 */
	static ChatClient rejoin(int port, String room, String name, String recover) {
		ChatClient client = connect(port, room, name, recover);
		await().atMost(TIMEOUT).until(() -> !client.frames("welcome").isEmpty());
		return client;
	}

	private static ChatClient connect(int port, String room, String name, String recover) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString("ws://localhost:" + port + room);
		if (name != null) {
			uri.queryParam("name", name);
		}
		if (recover != null) {
			uri.queryParam("recover", recover);
		}
		return new ChatClient(uri.encode().build().toUri());
	}

	/**
	 * Where this client is in its room: the epoch and offset of the last message it got,
	 * as the starter's client would ask to recover from.
	 */
	String position(String room) {
		JsonNode subscribed = this.subscribed.get(this.subscribed.size() - 1);
		List<JsonNode> messages = frames("message");
		long offset = messages.isEmpty() ? subscribed.get("offset").longValue()
				: messages.get(messages.size() - 1).get("offset").longValue();
		return subscribed.get("epoch").stringValue() + ":" + offset + ":" + room;
	}

	String name() {
		return welcome().get("name").stringValue();
	}

	JsonNode welcome() {
		return frames("welcome").get(0);
	}

	void say(String text) {
		send(json.writeValueAsString(Map.of("text", text)));
	}

	void send(String frame) {
		this.webSocket.sendText(frame, true).join();
	}

	void sendBinary(byte[] data) {
		this.webSocket.sendBinary(ByteBuffer.wrap(data), true).join();
	}

	List<JsonNode> frames() {
		return List.copyOf(this.frames);
	}

	List<JsonNode> frames(String type) {
		return this.frames.stream().filter((frame) -> type.equals(frame.get("type").stringValue())).toList();
	}

	/**
	 * The texts of the live messages received, in order.
	 */
	List<String> texts() {
		return frames("message").stream().map((frame) -> frame.get("text").stringValue()).toList();
	}

	/**
	 * The names that joined, as the presence diffs received tell, in order.
	 */
	List<String> joined() {
		return presence("joins");
	}

	/**
	 * The names that left, as the presence diffs received tell, in order.
	 */
	List<String> left() {
		return presence("leaves");
	}

	private List<String> presence(String field) {
		return frames("presence_diff").stream()
			.flatMap((frame) -> frame.get(field).valueStream())
			.map((member) -> member.get("attributes").get("name").stringValue())
			.toList();
	}

	/**
	 * The member count of the last presence diff received.
	 */
	int members() {
		List<JsonNode> diffs = frames("presence_diff");
		return diffs.get(diffs.size() - 1).get("users").intValue();
	}

	List<String> errors() {
		return frames("error").stream().map((frame) -> frame.get("error").stringValue()).toList();
	}

	void awaitText(String text) {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(texts()).contains(text));
	}

	String closeReason() {
		return this.closeReason;
	}

	CompletableFuture<Integer> closeCode() {
		return this.closeCode;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			received(json.readTree(this.partial.toString()));
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	/**
	 * Keep a frame: the data of the starter's {@code pub} frames, with their offset, as
	 * the page gets it; its {@code subscribed} frames apart.
	 */
	private void received(JsonNode frame) {
		JsonNode starterFrame = frame.get("ws");
		if (starterFrame == null) {
			this.frames.add(frame);
		}
		else if (starterFrame.stringValue().equals("pub")) {
			ObjectNode data = (ObjectNode) json.readTree(frame.get("data").stringValue());
			this.frames.add(data.put("offset", frame.get("offset").longValue()));
		}
		else if (starterFrame.stringValue().equals("subscribed")) {
			this.subscribed.add(frame);
		}
	}

	/**
	 * The starter's {@code subscribed} frames received, one per connection to a room.
	 */
	List<JsonNode> subscribed() {
		return List.copyOf(this.subscribed);
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeReason = reason;
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.completeExceptionally(error);
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null).join();
		}
	}

}

package dev.websocketstarter.sample.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.websocketstarter.test.client.WebSocketMessage;
import dev.websocketstarter.test.client.WebSocketTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.socket.CloseStatus;

/**
 * A chat member for tests, on the starter's {@link WebSocketTestClient}: it reads the
 * chat's frames, the data of the starter's {@code pub} frames with their offset, as the
 * page does, and keeps the starter's {@code subscribed} frames apart.
 */
final class ChatClient implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebSocketTestClient client;

	private ChatClient(WebSocketTestClient client) {
		this.client = client;
	}

	/**
	 * Join a room and wait for the welcome.
	 * @param name the name to ask for, {@code null} for none
	 */
	static ChatClient join(int port, String room, String name) {
		ChatClient member = connect(port, room, name);
		member.client.awaitJson("/type", "welcome");
		return member;
	}

	/**
	 * Open a connection to a room, without waiting for the welcome.
	 * @param name the name to ask for, {@code null} for none
	 */
	static ChatClient connect(int port, String room, String name) {
		return connect(port, room, name, null, null);
	}

	/**
	 * Join a room from a client address, as a reverse proxy says it with
	 * {@code X-Forwarded-For}, and wait for the welcome.
	 */
	static ChatClient joinFrom(String address, int port, String room, String name) {
		ChatClient member = connect(port, room, name, null, address);
		member.client.awaitJson("/type", "welcome");
		return member;
	}

	/**
	 * Open a connection from a client address, without waiting for the welcome.
	 */
	static WebSocketTestClient.Builder from(String address, int port, String room, String name) {
		return builder(port, room, name, null, address);
	}

	/**
	 * Join a room again, asking the starter to recover what was missed since a position,
	 * and wait for the welcome.
	 * @param recover {@code <epoch>:<offset>:<room>}
	 */
	static ChatClient rejoin(int port, String room, String name, String recover) {
		ChatClient member = connect(port, room, name, recover, null);
		member.client.awaitJson("/type", "welcome");
		return member;
	}

	private static ChatClient connect(int port, String room, String name, String recover, String address) {
		return new ChatClient(builder(port, room, name, recover, address).open());
	}

	private static WebSocketTestClient.Builder builder(int port, String room, String name, String recover,
			String address) {
		WebSocketTestClient.Builder builder = WebSocketTestClient.to(port, room).timeout(TIMEOUT);
		if (name != null) {
			builder.query("name", name);
		}
		if (recover != null) {
			builder.query("recover", recover);
		}
		if (address != null) {
			builder.header("X-Forwarded-For", address);
		}
		return builder;
	}

	/**
	 * Where this member is in its room: the epoch and offset of the last message it got,
	 * as the starter's browser client would ask to recover from.
	 */
	String position(String room) {
		List<JsonNode> subscribed = subscribed();
		JsonNode last = subscribed.get(subscribed.size() - 1);
		List<JsonNode> messages = frames("message");
		long offset = messages.isEmpty() ? last.get("offset").longValue()
				: messages.get(messages.size() - 1).get("offset").longValue();
		return last.get("epoch").stringValue() + ":" + offset + ":" + room;
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
		this.client.send(frame);
	}

	void sendBinary(byte[] data) {
		this.client.send(data);
	}

	/**
	 * The chat's frames received, in order.
	 */
	List<JsonNode> frames() {
		List<JsonNode> frames = new ArrayList<>();
		for (WebSocketMessage message : this.client.received()) {
			JsonNode frame = message.asJson();
			JsonNode starterFrame = frame.get("ws");
			if (starterFrame == null) {
				frames.add(frame);
			}
			else if (starterFrame.stringValue().equals("pub")) {
				ObjectNode data = (ObjectNode) json.readTree(frame.get("data").stringValue());
				frames.add(data.put("offset", frame.get("offset").longValue()));
			}
		}
		return frames;
	}

	List<JsonNode> frames(String type) {
		return frames().stream().filter((frame) -> type.equals(frame.get("type").stringValue())).toList();
	}

	/**
	 * The starter's {@code subscribed} frames received, one per connection to a room.
	 */
	List<JsonNode> subscribed() {
		return this.client.received()
			.stream()
			.map(WebSocketMessage::asJson)
			.filter((frame) -> frame.has("ws") && frame.get("ws").stringValue().equals("subscribed"))
			.toList();
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

	/**
	 * Wait for a message of the room with this text, live or recovered.
	 */
	void awaitText(String text) {
		this.client.awaitMessage((message) -> isMessageWithText(message, text), "a chat message \"" + text + "\"");
	}

	private static boolean isMessageWithText(WebSocketMessage message, String text) {
		JsonNode frame = message.asJson();
		if (!frame.has("ws") || !frame.get("ws").stringValue().equals("pub")) {
			return false;
		}
		JsonNode data = json.readTree(frame.get("data").stringValue());
		return data.has("text") && text.equals(data.get("text").stringValue());
	}

	/**
	 * Wait for the server to close the connection.
	 */
	CloseStatus awaitClose() {
		return this.client.awaitClose();
	}

	@Override
	public void close() {
		this.client.close();
	}

}

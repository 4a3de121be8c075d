package dev.websocketstarter.sample.chat;

import java.util.Collection;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes the frames the server sends, each a JSON object with a {@code type}.
 */
final class ChatFrames {

	private final JsonMapper json;

	ChatFrames(JsonMapper json) {
		this.json = json;
	}

	String welcome(String name, String room, int members) {
		return encode(frame("welcome").put("name", name).put("room", room).put("members", members));
	}

	String history(Collection<ChatMessage> messages) {
		ObjectNode frame = frame("history");
		ArrayNode array = frame.putArray("messages");
		messages.forEach((message) -> array.add(messageNode(message)));
		return encode(frame);
	}

	String message(ChatMessage message) {
		return encode(messageNode(message));
	}

	String error(String error, String message) {
		return encode(frame("error").put("error", error).put("message", message));
	}

	private ObjectNode messageNode(ChatMessage message) {
		return frame("message").put("id", message.id())
			.put("from", message.from())
			.put("text", message.text())
			.put("at", message.at().toString());
	}

	private ObjectNode frame(String type) {
		return this.json.createObjectNode().put("type", type);
	}

	private String encode(ObjectNode frame) {
		return this.json.writeValueAsString(frame);
	}

}

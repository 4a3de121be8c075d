package dev.websocketstarter.sample.chat;

import java.time.Instant;

import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.HistoryMessage;
import tools.jackson.databind.JsonNode;
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

	/**
	 * The room's recent messages as the starter's history keeps them, each with its
	 * offset, by which the page tells them from the same ones arriving live or recovered.
	 */
	String history(History history) {
		ObjectNode frame = frame("history").put("epoch", history.epoch());
		ArrayNode array = frame.putArray("messages");
		for (HistoryMessage kept : history.messages()) {
			JsonNode message = this.json.readTree(kept.text());
			if (message instanceof ObjectNode object) {
				array.add(object.put("offset", kept.offset()));
			}
		}
		return encode(frame);
	}

	String message(String from, String text, Instant at) {
		return encode(frame("message").put("from", from).put("text", text).put("at", at.toString()));
	}

	String error(String error, String message) {
		return encode(frame("error").put("error", error).put("message", message));
	}

	private ObjectNode frame(String type) {
		return this.json.createObjectNode().put("type", type);
	}

	private String encode(ObjectNode frame) {
		return this.json.writeValueAsString(frame);
	}

}

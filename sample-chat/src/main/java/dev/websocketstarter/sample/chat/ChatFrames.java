package dev.websocketstarter.sample.chat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.websocketstarter.registry.History;
import dev.websocketstarter.registry.HistoryMessage;
import dev.websocketstarter.registry.Presence;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes the frames the server sends, each a JSON object with a {@code type}.
 */
final class ChatFrames {

	/** {@code ,"offset":} and a long, at most. */
	private static final int OFFSET_BYTES = 30;

	private final JsonMapper json;

	ChatFrames(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The newcomer's name and room, how many members the room has, and the names of some.
	 */
	String welcome(String name, String room, Presence presence) {
		ObjectNode frame = frame("welcome").put("name", name).put("room", room).put("members", presence.users());
		ArrayNode names = frame.putArray("names");
		presence.members()
			.stream()
			.map((member) -> member.attributes().get("name"))
			.filter(Objects::nonNull)
			.forEach(names::add);
		return encode(frame);
	}

	/**
	 * The room's recent messages as the starter's history keeps them, each with its
	 * offset, by which the page tells them from the same ones arriving live or recovered:
	 * the newest that fit in a number of bytes, so that however the messages were made,
	 * the frame fits in the channel's send buffer.
	 */
	String history(History history, long maxBytes) {
		List<HistoryMessage> kept = history.messages();
		int first = kept.size();
		long bytes = 0;
		while (first > 0) {
			// The message's own frame, and its offset in the history frame
			bytes += kept.get(first - 1).text().getBytes(StandardCharsets.UTF_8).length + OFFSET_BYTES;
			if (bytes > maxBytes) {
				break;
			}
			first--;
		}
		ObjectNode frame = frame("history").put("epoch", history.epoch());
		ArrayNode array = frame.putArray("messages");
		for (HistoryMessage message : kept.subList(first, kept.size())) {
			if (this.json.readTree(message.text()) instanceof ObjectNode object) {
				array.add(object.put("offset", message.offset()));
			}
		}
		return encode(frame);
	}

	/**
	 * How many bytes a text takes in a frame: JSON-escaped, in UTF-8.
	 */
	int encodedLength(String text) {
		return this.json.writeValueAsBytes(text).length;
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

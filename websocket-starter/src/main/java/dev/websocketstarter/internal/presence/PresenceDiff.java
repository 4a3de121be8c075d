package dev.websocketstarter.internal.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;

/**
 * The joins and leaves of one subscription during one interval, sent to its subscribers
 * as one message, so that a thousand joins cost a few messages rather than a million.
 * <p>
 * {@code {"type":"presence_diff","subscription":"/chat","joins":[{"user":"alice",
 * "channel":"chat#3@n1","attributes":{"name":"alice"}}],"leaves":[]}}
 */
final class PresenceDiff {

	private final String subscription;

	private final List<PresenceEvent> joins = new ArrayList<>();

	private final List<PresenceEvent> leaves = new ArrayList<>();

	PresenceDiff(String subscription) {
		this.subscription = subscription;
	}

	void add(PresenceEvent event) {
		((event.kind() == Kind.JOIN) ? this.joins : this.leaves).add(event);
	}

	String toJson() {
		StringBuilder json = new StringBuilder(64 + 64 * (this.joins.size() + this.leaves.size()));
		json.append("{\"type\":\"presence_diff\",\"subscription\":");
		string(this.subscription, json);
		json.append(",\"joins\":");
		entries(this.joins, json);
		json.append(",\"leaves\":");
		entries(this.leaves, json);
		return json.append('}').toString();
	}

	private static void entries(List<PresenceEvent> events, StringBuilder json) {
		json.append('[');
		for (int i = 0; i < events.size(); i++) {
			PresenceEvent event = events.get(i);
			json.append((i > 0) ? ",{\"user\":" : "{\"user\":");
			if (event.user() != null) {
				string(event.user(), json);
			}
			else {
				json.append("null");
			}
			json.append(",\"channel\":");
			string(event.channel().toString(), json);
			json.append(",\"attributes\":{");
			boolean first = true;
			for (Map.Entry<String, String> attribute : new TreeMap<>(event.attributes()).entrySet()) {
				if (!first) {
					json.append(',');
				}
				first = false;
				string(attribute.getKey(), json);
				json.append(':');
				string(attribute.getValue(), json);
			}
			json.append("}}");
		}
		json.append(']');
	}

	/**
	 * A JSON string, escaped as RFC 8259 asks, with the line and paragraph separators
	 * escaped too so that the message is also safe inside a script.
	 */
	static void string(String value, StringBuilder json) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20 || c == '\u2028' || c == '\u2029') {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}

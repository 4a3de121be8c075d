package dev.websocketstarter.internal.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;

/**
 * The joins and leaves of one subscription during one interval, sent to its subscribers
 * as few messages of bounded size, so that a thousand joins cost a few messages rather
 * than a million.
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

	/**
	 * The diff as messages of at most about {@code maxChars} characters each, so that a
	 * thousand joins do not make one message larger than a client's send buffer: each
	 * holds some of the joins and leaves, in order.
	 */
	List<String> toMessages(int maxChars) {
		List<String> messages = new ArrayList<>();
		List<String> joins = new ArrayList<>();
		List<String> leaves = new ArrayList<>();
		int size = 0;
		for (PresenceEvent event : concat()) {
			String entry = entry(event);
			if (size + entry.length() > maxChars && !(joins.isEmpty() && leaves.isEmpty())) {
				messages.add(message(joins, leaves));
				joins.clear();
				leaves.clear();
				size = 0;
			}
			((event.kind() == Kind.JOIN) ? joins : leaves).add(entry);
			size += entry.length() + 1;
		}
		if (!joins.isEmpty() || !leaves.isEmpty()) {
			messages.add(message(joins, leaves));
		}
		return messages;
	}

	private List<PresenceEvent> concat() {
		List<PresenceEvent> events = new ArrayList<>(this.joins);
		events.addAll(this.leaves);
		return events;
	}

	private String message(List<String> joins, List<String> leaves) {
		StringBuilder json = new StringBuilder();
		json.append("{\"type\":\"presence_diff\",\"subscription\":");
		string(this.subscription, json);
		json.append(",\"joins\":[").append(String.join(",", joins));
		json.append("],\"leaves\":[").append(String.join(",", leaves));
		return json.append("]}").toString();
	}

	private static String entry(PresenceEvent event) {
		StringBuilder json = new StringBuilder(64);
		json.append("{\"user\":");
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
		return json.append("}}").toString();
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

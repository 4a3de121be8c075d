package dev.websocketstarter.internal.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.websocketstarter.internal.json.JsonStrings;
import dev.websocketstarter.registry.Presence;
import dev.websocketstarter.registry.PresenceEvent;
import dev.websocketstarter.registry.PresenceEvent.Kind;

/**
 * The joins and leaves of one subscription during one interval, sent to its subscribers
 * as few messages of bounded size, so that a thousand joins cost a few messages rather
 * than a million.
 * <p>
 * {@code {"type":"presence_diff","subscription":"/chat","joins":[{"user":"alice",
 * "channel":"chat#3@n1","attributes":{"name":"alice"}}],"leaves":[],"users":4}}
 */
final class PresenceDiff {

	private final String subscription;

	/** The joins by user, as {@link Presence.Member#userKey()} tells users apart. */
	private final Map<String, PresenceEvent> joins = new LinkedHashMap<>();

	private final List<PresenceEvent> leaves = new ArrayList<>();

	PresenceDiff(String subscription) {
		this.subscription = subscription;
	}

	/**
	 * Add a join or a leave. A user who joins and leaves within the interval is left out,
	 * so that connecting and closing in a loop costs the others nothing.
	 */
	void add(PresenceEvent event) {
		String user = new Presence.Member(event.channel(), event.user(), Map.of()).userKey();
		if (event.kind() == Kind.JOIN) {
			this.joins.put(user, event);
		}
		else if (this.joins.remove(user) == null) {
			this.leaves.add(event);
		}
	}

	/**
	 * The diff as messages of at most about {@code maxChars} characters each, so that a
	 * thousand joins do not make one message larger than a client's send buffer: each
	 * holds some of the joins and leaves, in order, and the number of users after all.
	 * @param users the number of distinct users subscribed once the diff is applied
	 */
	List<String> toMessages(int maxChars, int users) {
		List<String> messages = new ArrayList<>();
		List<String> joins = new ArrayList<>();
		List<String> leaves = new ArrayList<>();
		int size = 0;
		for (PresenceEvent event : concat()) {
			String entry = entry(event);
			if (size + entry.length() > maxChars && !(joins.isEmpty() && leaves.isEmpty())) {
				messages.add(message(joins, leaves, users));
				joins.clear();
				leaves.clear();
				size = 0;
			}
			((event.kind() == Kind.JOIN) ? joins : leaves).add(entry);
			size += entry.length() + 1;
		}
		if (!joins.isEmpty() || !leaves.isEmpty()) {
			messages.add(message(joins, leaves, users));
		}
		return messages;
	}

	private List<PresenceEvent> concat() {
		List<PresenceEvent> events = new ArrayList<>(this.joins.values());
		events.addAll(this.leaves);
		return events;
	}

	private String message(List<String> joins, List<String> leaves, int users) {
		StringBuilder json = new StringBuilder();
		json.append("{\"type\":\"presence_diff\",\"subscription\":");
		JsonStrings.append(this.subscription, json);
		json.append(",\"joins\":[").append(String.join(",", joins));
		json.append("],\"leaves\":[").append(String.join(",", leaves));
		return json.append("],\"users\":").append(users).append('}').toString();
	}

	private static String entry(PresenceEvent event) {
		StringBuilder json = new StringBuilder(64);
		json.append("{\"user\":");
		if (event.user() != null) {
			JsonStrings.append(event.user(), json);
		}
		else {
			json.append("null");
		}
		json.append(",\"channel\":");
		JsonStrings.append(event.channel().toString(), json);
		json.append(",\"attributes\":{");
		boolean first = true;
		for (Map.Entry<String, String> attribute : new TreeMap<>(event.attributes()).entrySet()) {
			if (!first) {
				json.append(',');
			}
			first = false;
			JsonStrings.append(attribute.getKey(), json);
			json.append(':');
			JsonStrings.append(attribute.getValue(), json);
		}
		return json.append("}}").toString();
	}

}

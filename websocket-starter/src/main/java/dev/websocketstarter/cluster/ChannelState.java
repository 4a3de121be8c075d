package dev.websocketstarter.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What the other nodes see of an open channel: its subscriptions, in its app's scope, its
 * shared attributes as text, and its user.
 * <p>
 * In a node's channels hash in Redis it is text, one entry per line: {@code s} and a
 * subscription, {@code a}, an attribute's name, {@code =} and its value, or {@code u} and
 * the user; a backslash or a line break in a subscription or value is written {@code \\}
 * or {@code \n}.
 *
 * @param subscriptions the channel's subscriptions
 * @param attributes its shared attributes by name
 * @param user the name of the principal who opened it, or {@code null}
 */
record ChannelState(Set<String> subscriptions, Map<String, String> attributes, @Nullable String user) {

	static final ChannelState EMPTY = new ChannelState(Set.of(), Map.of());

	ChannelState {
		subscriptions = Set.copyOf(subscriptions);
		attributes = Map.copyOf(attributes);
	}

	ChannelState(Set<String> subscriptions, Map<String, String> attributes) {
		this(subscriptions, attributes, null);
	}

	/**
	 * The same state with one copy of each subscription and attribute name for the whole
	 * view: a node's view of the others holds the same few names for many channels.
	 * Interned strings are collected once unused, so names that clients make up do not
	 * pile up.
	 */
	ChannelState interned() {
		String[] subscriptions = new String[this.subscriptions.size()];
		int i = 0;
		for (String subscription : this.subscriptions) {
			subscriptions[i++] = subscription.intern();
		}
		Map<String, String> attributes = new HashMap<>();
		this.attributes.forEach((name, value) -> attributes.put(name.intern(), value));
		return new ChannelState(Set.of(subscriptions), attributes, this.user);
	}

	/**
	 * The state as text, for the channels hash.
	 */
	String format() {
		StringBuilder text = new StringBuilder();
		for (String subscription : this.subscriptions) {
			text.append('s');
			escape(subscription, text);
			text.append('\n');
		}
		new TreeMap<>(this.attributes).forEach((name, value) -> {
			text.append('a').append(name).append('=');
			escape(value, text);
			text.append('\n');
		});
		if (this.user != null) {
			text.append('u');
			escape(this.user, text);
			text.append('\n');
		}
		return text.toString();
	}

	/**
	 * Read a state back from the channels hash; lines it does not know are skipped.
	 */
	static ChannelState parse(String text) {
		Set<String> subscriptions = new LinkedHashSet<>();
		Map<String, String> attributes = new TreeMap<>();
		String user = null;
		for (String line : text.split("\n")) {
			if (line.startsWith("u")) {
				user = unescape(line.substring(1));
			}
			else if (line.startsWith("s")) {
				subscriptions.add(unescape(line.substring(1)));
			}
			else if (line.startsWith("a") && line.indexOf('=') > 1) {
				int equals = line.indexOf('=');
				attributes.put(line.substring(1, equals), unescape(line.substring(equals + 1)));
			}
		}
		return new ChannelState(subscriptions, attributes, user);
	}

	private static void escape(String value, StringBuilder text) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> text.append("\\\\");
				case '\n' -> text.append("\\n");
				default -> text.append(c);
			}
		}
	}

	private static String unescape(String value) {
		if (value.indexOf('\\') < 0) {
			return value;
		}
		StringBuilder text = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length()) {
				char next = value.charAt(++i);
				text.append((next == 'n') ? '\n' : next);
			}
			else {
				text.append(c);
			}
		}
		return text.toString();
	}

	void write(DataOutputStream out) throws IOException {
		out.writeInt(this.subscriptions.size());
		for (String subscription : this.subscriptions) {
			out.writeUTF(subscription);
		}
		out.writeInt(this.attributes.size());
		for (Map.Entry<String, String> attribute : this.attributes.entrySet()) {
			out.writeUTF(attribute.getKey());
			out.writeUTF(attribute.getValue());
		}
		out.writeBoolean(this.user != null);
		if (this.user != null) {
			out.writeUTF(this.user);
		}
	}

	static ChannelState read(DataInputStream in) throws IOException {
		int count = in.readInt();
		// Every string takes at least 2 bytes: a bad count cannot make a large set
		if (count < 0 || count > in.available() / 2) {
			throw new IllegalArgumentException("Bad subscription count " + count);
		}
		String[] subscriptions = new String[count];
		for (int i = 0; i < count; i++) {
			subscriptions[i] = in.readUTF();
		}
		int attributeCount = in.readInt();
		if (attributeCount < 0 || attributeCount > in.available() / 4) {
			throw new IllegalArgumentException("Bad attribute count " + attributeCount);
		}
		Map<String, String> attributes = new TreeMap<>();
		for (int i = 0; i < attributeCount; i++) {
			attributes.put(in.readUTF(), in.readUTF());
		}
		String user = in.readBoolean() ? in.readUTF() : null;
		return new ChannelState(Set.of(subscriptions), attributes, user);
	}

}

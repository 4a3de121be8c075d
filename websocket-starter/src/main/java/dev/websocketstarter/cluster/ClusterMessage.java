package dev.websocketstarter.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.registry.Channel;

/**
 * What one node publishes to another through Redis, and its wire format.
 * <p>
 * Every publication is binary: a version byte ({@code 2}), a kind byte, the origin node,
 * then fields by kind. Strings are Java's modified UTF-8 with a 2-byte length
 * ({@link DataOutputStream#writeUTF}), channels are printed handles
 * ({@code chat#17@node-1}), payloads a 4-byte length and the bytes as they are (UTF-8 for
 * text), so binary messages travel unchanged and text is not escaped.
 * <ul>
 * <li>{@code T}/{@code B} multicast text/binary: scope, subscription, exclude count,
 * excluded channels, payload</li>
 * <li>{@code t}/{@code b} send text/binary: channel, payload</li>
 * <li>{@code S}/{@code U} subscribe/unsubscribe: channel, subscription</li>
 * <li>{@code C} close: channel, 2-byte close code, reason</li>
 * <li>{@code u}/{@code v} send text/binary to a user: scope, user, payload</li>
 * <li>{@code c} close a user's channels: scope, user, 2-byte close code, reason</li>
 * </ul>
 *
 * @param kind what to do
 * @param origin the node that published it
 * @param channel the target channel of a send, subscribe, unsubscribe or close
 * @param scope the subscription scope of a multicast or a message to a user
 * @param name the subscription of a multicast, subscribe or unsubscribe; the user of a
 * message to a user
 * @param exclude the channels a multicast skips
 * @param payload the message of a send or multicast; the close reason in UTF-8
 * @param code the close code
 */
record ClusterMessage(Kind kind, String origin, Channel channel, String scope, String name, Channel[] exclude,
		byte[] payload, int code) {

	private static final byte VERSION = 2;

	private static final Channel NONE = new Channel("-", "-", 0);

	private static final Channel[] NO_CHANNELS = {};

	private static final byte[] EMPTY = {};

	static ClusterMessage multicast(String origin, String scope, String subscription, boolean text, byte[] payload,
			Channel[] exclude) {
		return new ClusterMessage(text ? Kind.MULTICAST_TEXT : Kind.MULTICAST_BINARY, origin, NONE, scope, subscription,
				exclude, payload, 0);
	}

	static ClusterMessage send(String origin, Channel channel, boolean text, byte[] payload) {
		return new ClusterMessage(text ? Kind.SEND_TEXT : Kind.SEND_BINARY, origin, channel, "", "", NO_CHANNELS,
				payload, 0);
	}

	static ClusterMessage subscribe(String origin, Channel channel, String subscription, boolean subscribe) {
		return new ClusterMessage(subscribe ? Kind.SUBSCRIBE : Kind.UNSUBSCRIBE, origin, channel, "", subscription,
				NO_CHANNELS, EMPTY, 0);
	}

	static ClusterMessage close(String origin, Channel channel, int code, String reason) {
		return new ClusterMessage(Kind.CLOSE, origin, channel, "", "", NO_CHANNELS,
				reason.getBytes(StandardCharsets.UTF_8), code);
	}

	static ClusterMessage sendToUser(String origin, String scope, String user, boolean text, byte[] payload) {
		return new ClusterMessage(text ? Kind.USER_TEXT : Kind.USER_BINARY, origin, NONE, scope, user, NO_CHANNELS,
				payload, 0);
	}

	static ClusterMessage closeUser(String origin, String scope, String user, int code, String reason) {
		return new ClusterMessage(Kind.USER_CLOSE, origin, NONE, scope, user, NO_CHANNELS,
				reason.getBytes(StandardCharsets.UTF_8), code);
	}

	/**
	 * The payload as text, for a text message or a close reason.
	 */
	String text() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	byte[] encode() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + this.payload.length);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			out.writeByte(this.kind.code);
			out.writeUTF(this.origin);
			switch (this.kind) {
				case MULTICAST_TEXT, MULTICAST_BINARY -> {
					out.writeUTF(this.scope);
					out.writeUTF(this.name);
					out.writeShort(this.exclude.length);
					for (Channel excluded : this.exclude) {
						out.writeUTF(excluded.toString());
					}
					writePayload(out);
				}
				case SEND_TEXT, SEND_BINARY -> {
					out.writeUTF(this.channel.toString());
					writePayload(out);
				}
				case SUBSCRIBE, UNSUBSCRIBE -> {
					out.writeUTF(this.channel.toString());
					out.writeUTF(this.name);
				}
				case CLOSE -> {
					out.writeUTF(this.channel.toString());
					out.writeShort(this.code);
					writePayload(out);
				}
				case USER_TEXT, USER_BINARY -> {
					out.writeUTF(this.scope);
					out.writeUTF(this.name);
					writePayload(out);
				}
				case USER_CLOSE -> {
					out.writeUTF(this.scope);
					out.writeUTF(this.name);
					out.writeShort(this.code);
					writePayload(out);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	private void writePayload(DataOutputStream out) throws IOException {
		out.writeInt(this.payload.length);
		out.write(this.payload);
	}

	/**
	 * Read a publication.
	 * @throws IllegalArgumentException if it is not one this version understands
	 */
	static ClusterMessage decode(byte[] message) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
			byte version = in.readByte();
			if (version != VERSION) {
				throw new IllegalArgumentException("Unknown relay message version " + version);
			}
			Kind kind = Kind.of(in.readByte());
			String origin = in.readUTF();
			return switch (kind) {
				case MULTICAST_TEXT, MULTICAST_BINARY -> {
					String scope = in.readUTF();
					String subscription = in.readUTF();
					Channel[] exclude = new Channel[in.readUnsignedShort()];
					for (int i = 0; i < exclude.length; i++) {
						exclude[i] = Channel.parse(in.readUTF());
					}
					yield new ClusterMessage(kind, origin, NONE, scope, subscription, exclude, readPayload(in), 0);
				}
				case SEND_TEXT, SEND_BINARY -> new ClusterMessage(kind, origin, Channel.parse(in.readUTF()), "", "",
						NO_CHANNELS, readPayload(in), 0);
				case SUBSCRIBE, UNSUBSCRIBE -> new ClusterMessage(kind, origin, Channel.parse(in.readUTF()), "",
						in.readUTF(), NO_CHANNELS, EMPTY, 0);
				case CLOSE -> {
					Channel channel = Channel.parse(in.readUTF());
					int code = in.readUnsignedShort();
					yield new ClusterMessage(kind, origin, channel, "", "", NO_CHANNELS, readPayload(in), code);
				}
				case USER_TEXT, USER_BINARY ->
					new ClusterMessage(kind, origin, NONE, in.readUTF(), in.readUTF(), NO_CHANNELS, readPayload(in), 0);
				case USER_CLOSE -> {
					String scope = in.readUTF();
					String user = in.readUTF();
					int code = in.readUnsignedShort();
					yield new ClusterMessage(kind, origin, NONE, scope, user, NO_CHANNELS, readPayload(in), code);
				}
			};
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Truncated relay message", ex);
		}
	}

	private static byte[] readPayload(DataInputStream in) throws IOException {
		int length = in.readInt();
		if (length < 0 || length > in.available()) {
			throw new IllegalArgumentException("Bad payload length " + length);
		}
		return in.readNBytes(length);
	}

	/**
	 * What a publication asks of the node that receives it.
	 */
	enum Kind {

		MULTICAST_TEXT('T'), MULTICAST_BINARY('B'), SEND_TEXT('t'), SEND_BINARY('b'), SUBSCRIBE('S'), UNSUBSCRIBE('U'),
		CLOSE('C'), USER_TEXT('u'), USER_BINARY('v'), USER_CLOSE('c');

		private final byte code;

		Kind(char code) {
			this.code = (byte) code;
		}

		boolean isText() {
			return this == MULTICAST_TEXT || this == SEND_TEXT || this == USER_TEXT;
		}

		static Kind of(byte code) {
			for (Kind kind : values()) {
				if (kind.code == code) {
					return kind;
				}
			}
			throw new IllegalArgumentException("Unknown relay message kind " + code);
		}

	}

}

package dev.websocketstarter.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.server.OutboundFrame;
import jakarta.websocket.RemoteEndpoint;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * A message waiting in a channel's queue. Instances are immutable so that one multicast
 * message is shared by every subscriber's queue; text is encoded to UTF-8 once, when the
 * message is made. Buffers handed to the container are made per write.
 */
sealed interface Outbound extends OutboundFrame {

	/**
	 * The bytes this message counts against the send buffer limit.
	 */
	int size();

	/**
	 * The opcode of the frame that carries this message.
	 */
	byte opcode();

	/**
	 * A new buffer over the payload, for one write.
	 */
	ByteBuffer payload();

	void writeTo(RemoteEndpoint.Basic remote) throws IOException;

	WebSocketMessage<?> toMessage();

	static Outbound text(String text) {
		return new Text(text.getBytes(StandardCharsets.UTF_8));
	}

	static Outbound binary(byte[] data) {
		return new Binary(data.clone());
	}

	static int utf8Length(CharSequence text) {
		int length = text.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				// 2 bytes below U+0800, else 3; a surrogate pair is 4 bytes for two chars
				bytes += (c < 0x800) ? 1 : (Character.isSurrogate(c) ? 1 : 2);
			}
		}
		return bytes;
	}

	record Text(byte[] utf8) implements Outbound {

		private static final byte OPCODE = 0x1;

		@Override
		public int size() {
			return this.utf8.length;
		}

		@Override
		public byte opcode() {
			return OPCODE;
		}

		@Override
		public ByteBuffer payload() {
			return ByteBuffer.wrap(this.utf8);
		}

		@Override
		public void writeTo(RemoteEndpoint.Basic remote) throws IOException {
			remote.sendText(new String(this.utf8, StandardCharsets.UTF_8));
		}

		@Override
		public WebSocketMessage<?> toMessage() {
			return new TextMessage(this.utf8);
		}

	}

	record Binary(byte[] data) implements Outbound {

		private static final byte OPCODE = 0x2;

		@Override
		public int size() {
			return this.data.length;
		}

		@Override
		public byte opcode() {
			return OPCODE;
		}

		@Override
		public ByteBuffer payload() {
			return ByteBuffer.wrap(this.data);
		}

		@Override
		public void writeTo(RemoteEndpoint.Basic remote) throws IOException {
			remote.sendBinary(ByteBuffer.wrap(this.data));
		}

		@Override
		public WebSocketMessage<?> toMessage() {
			return new BinaryMessage(ByteBuffer.wrap(this.data));
		}

	}

	enum Ping implements Outbound {

		INSTANCE;

		private static final byte[] PAYLOAD = new byte[0];

		private static final byte OPCODE = 0x9;

		@Override
		public int size() {
			return 0;
		}

		@Override
		public byte opcode() {
			return OPCODE;
		}

		@Override
		public ByteBuffer payload() {
			return ByteBuffer.wrap(PAYLOAD);
		}

		@Override
		public void writeTo(RemoteEndpoint.Basic remote) throws IOException {
			remote.sendPing(ByteBuffer.wrap(PAYLOAD));
		}

		@Override
		public WebSocketMessage<?> toMessage() {
			return new PingMessage(ByteBuffer.wrap(PAYLOAD));
		}

	}

}

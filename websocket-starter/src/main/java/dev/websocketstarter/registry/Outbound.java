package dev.websocketstarter.registry;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * A message waiting in a channel's queue. Instances are immutable so that one multicast
 * message is shared by every subscriber's queue; buffers handed to the container are made
 * per write.
 */
sealed interface Outbound {

	/**
	 * The bytes this message counts against the send buffer limit.
	 */
	int size();

	void writeTo(RemoteEndpoint.Basic remote) throws IOException;

	WebSocketMessage<?> toMessage();

	static Outbound text(String text) {
		return new Text(text, utf8Length(text));
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

	record Text(String text, int size) implements Outbound {

		@Override
		public void writeTo(RemoteEndpoint.Basic remote) throws IOException {
			remote.sendText(this.text);
		}

		@Override
		public WebSocketMessage<?> toMessage() {
			return new TextMessage(this.text);
		}

	}

	record Binary(byte[] data) implements Outbound {

		@Override
		public int size() {
			return this.data.length;
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

		@Override
		public int size() {
			return 0;
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

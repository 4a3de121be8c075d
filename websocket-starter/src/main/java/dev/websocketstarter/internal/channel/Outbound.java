package dev.websocketstarter.internal.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.websocketstarter.internal.transport.OutboundFrame;

/**
 * A message waiting in a channel's queue. Instances are immutable so that one multicast
 * message is shared by every subscriber's queue; text is encoded to UTF-8 once, when the
 * message is made. Buffers handed to the connection are made per write.
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

	static Outbound text(String text) {
		return new Text(text.getBytes(StandardCharsets.UTF_8));
	}

	static Outbound binary(byte[] data) {
		return new Binary(data.clone());
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

	}

	enum Ping implements Outbound {

		/**
		 * The one ping: it carries no payload.
		 */
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

	}

}

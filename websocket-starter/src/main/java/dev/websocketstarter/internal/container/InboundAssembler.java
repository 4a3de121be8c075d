package dev.websocketstarter.internal.container;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Joins the parts of an inbound message that the container delivers as they arrive, up to
 * the app's {@code max-message-size}. A message that arrives whole is passed through
 * without copying; buffers exist only while a message is in flight. Used by the container
 * thread of one channel at a time.
 */
final class InboundAssembler {

	private final long maxMessageSize;

	private @Nullable StringBuilder text;

	private @Nullable ByteArrayOutputStream binary;

	private long size;

	private long completedSize;

	InboundAssembler(long maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Whether parts of a message came and its last has not.
	 * @return {@code true} while a message is in parts
	 */
	boolean inProgress() {
		return this.text != null || this.binary != null;
	}

	/**
	 * Add a part of a text message.
	 * @return the whole message when {@code last}, otherwise {@code null}
	 * @throws TooBigException when the message exceeds the limit
	 */
	@Nullable String text(String part, boolean last) {
		grow(utf8Length(part));
		StringBuilder text = this.text;
		if (text == null) {
			if (last) {
				complete();
				return part;
			}
			this.text = new StringBuilder(part);
			return null;
		}
		text.append(part);
		if (!last) {
			return null;
		}
		this.text = null;
		complete();
		return text.toString();
	}

	/**
	 * Add a part of a binary message.
	 * @return the whole message when {@code last}, otherwise {@code null}
	 * @throws TooBigException when the message exceeds the limit
	 */
	byte @Nullable [] binary(ByteBuffer part, boolean last) {
		int length = part.remaining();
		grow(length);
		ByteArrayOutputStream binary = this.binary;
		if (binary == null && last) {
			complete();
			byte[] whole = new byte[length];
			part.get(whole);
			return whole;
		}
		if (binary == null) {
			binary = new ByteArrayOutputStream(Math.max(length * 2, 256));
			this.binary = binary;
		}
		if (part.hasArray()) {
			binary.write(part.array(), part.arrayOffset() + part.position(), length);
			part.position(part.limit());
		}
		else {
			byte[] bytes = new byte[length];
			part.get(bytes);
			binary.writeBytes(bytes);
		}
		if (!last) {
			return null;
		}
		this.binary = null;
		complete();
		return binary.toByteArray();
	}

	private static int utf8Length(CharSequence text) {
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

	private void complete() {
		this.completedSize = this.size;
		this.size = 0;
	}

	/**
	 * The size in bytes of the last whole message returned.
	 */
	long completedSize() {
		return this.completedSize;
	}

	private void grow(long bytes) {
		this.size += bytes;
		if (this.size > this.maxMessageSize) {
			this.text = null;
			this.binary = null;
			this.size = 0;
			throw new TooBigException();
		}
	}

	/**
	 * An inbound message exceeded {@code max-message-size}.
	 */
	static final class TooBigException extends RuntimeException {

		TooBigException() {
			super("Message exceeds max-message-size", null, false, false);
		}

	}

}

package dev.websocketstarter.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Encodes frames into their RFC 6455 section 5.2 wire format. Servers send frames
 * unmasked; clients mask every frame with a fresh, unpredictable 4-byte key (section
 * 5.3), which the caller supplies.
 */
public final class FrameEncoder {

	private static final int MASK_KEY_LENGTH = 4;

	private FrameEncoder() {
	}

	/**
	 * Encode a frame without masking, as a server sends it.
	 * @param frame the frame
	 * @return the wire bytes
	 */
	public static byte[] encode(Frame frame) {
		return encode(frame.fin(), 0, frame.opcode().code(), frame.payload(), null);
	}

	/**
	 * Encode a frame masked with the given key, as a client sends it.
	 * @param frame the frame
	 * @param maskKey the 4-byte masking key
	 * @return the wire bytes
	 * @throws IllegalArgumentException if the key is not 4 bytes long
	 */
	public static byte[] encode(Frame frame, byte[] maskKey) {
		Objects.requireNonNull(maskKey, "'maskKey' must not be null");
		return encode(frame.fin(), 0, frame.opcode().code(), frame.payload(), maskKey);
	}

	/**
	 * Encode a frame into the given buffer, masked if a key is given. Nothing is written
	 * unless the whole frame fits.
	 * @param frame the frame
	 * @param maskKey the 4-byte masking key, or {@code null} to send unmasked
	 * @param target the buffer to write to, starting at its position
	 * @throws BufferOverflowException if fewer bytes remain in the buffer than the frame
	 * needs
	 * @throws IllegalArgumentException if the key is not 4 bytes long
	 */
	public static void encode(Frame frame, byte @Nullable [] maskKey, ByteBuffer target) {
		write(frame.fin(), 0, frame.opcode().code(), frame.payload(), maskKey, target);
	}

	/**
	 * Encode a frame from raw header values without applying any protocol rule beyond the
	 * field widths, so that invalid frames (reserved bits, reserved opcodes, oversized or
	 * fragmented control frames) can be produced, for tests in particular.
	 * @param fin the FIN bit
	 * @param rsv the RSV1-RSV3 bits as a number from 0 to 7, RSV1 being the most
	 * significant
	 * @param opcode the opcode, 0-15
	 * @param payload the unmasked payload
	 * @param maskKey the 4-byte masking key, or {@code null} to send unmasked
	 * @return the wire bytes
	 * @throws IllegalArgumentException if a value does not fit its field or the key is
	 * not 4 bytes long
	 */
	public static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, byte @Nullable [] maskKey) {
		Objects.requireNonNull(payload, "'payload' must not be null");
		byte[] frame = new byte[headerLength(payload.length, maskKey != null) + payload.length];
		write(fin, rsv, opcode, payload, maskKey, ByteBuffer.wrap(frame));
		return frame;
	}

	/**
	 * Return the length of a frame header: 2 bytes, plus 2 or 8 bytes of extended payload
	 * length for payloads over 125 or over 65535 bytes, plus 4 bytes of masking key if
	 * masked (RFC 6455 section 5.2).
	 * @param payloadLength the payload length
	 * @param masked whether the frame is masked
	 * @return the header length in bytes
	 */
	public static int headerLength(int payloadLength, boolean masked) {
		if (payloadLength < 0) {
			throw new IllegalArgumentException("'payloadLength' must not be negative");
		}
		int length = 2;
		if (payloadLength > 0xFFFF) {
			length += 8;
		}
		else if (payloadLength > Frame.MAX_CONTROL_PAYLOAD) {
			length += 2;
		}
		return masked ? length + MASK_KEY_LENGTH : length;
	}

	private static void write(boolean fin, int rsv, int opcode, byte[] payload, byte @Nullable [] maskKey,
			ByteBuffer target) {
		if (rsv < 0 || rsv > 7) {
			throw new IllegalArgumentException("'rsv' must be between 0 and 7 but was " + rsv);
		}
		if (opcode < 0 || opcode > 15) {
			throw new IllegalArgumentException("'opcode' must be between 0 and 15 but was " + opcode);
		}
		if (maskKey != null && maskKey.length != MASK_KEY_LENGTH) {
			throw new IllegalArgumentException(
					"'maskKey' must be " + MASK_KEY_LENGTH + " bytes long but was " + maskKey.length);
		}
		int length = payload.length;
		int total = headerLength(length, maskKey != null) + length;
		if (target.remaining() < total) {
			throw new BufferOverflowException();
		}
		target.put((byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode));
		int maskBit = (maskKey != null) ? 0x80 : 0;
		if (length <= Frame.MAX_CONTROL_PAYLOAD) {
			target.put((byte) (maskBit | length));
		}
		else if (length <= 0xFFFF) {
			target.put((byte) (maskBit | 126));
			putBigEndian(target, length, 2);
		}
		else {
			target.put((byte) (maskBit | 127));
			putBigEndian(target, length, 8);
		}
		if (maskKey == null) {
			target.put(payload);
			return;
		}
		target.put(maskKey);
		for (int i = 0; i < length; i++) {
			target.put((byte) (payload[i] ^ maskKey[i & 3]));
		}
	}

	/**
	 * Write the header of an unmasked, final frame into an array, as a server sends it;
	 * the payload goes right after it.
	 * @param opcode the opcode, 0-15
	 * @param payloadLength the payload length
	 * @param target the array to write to
	 * @param offset where the header starts
	 * @return the header length, as {@link #headerLength(int, boolean)} gives it
	 * @throws ArrayIndexOutOfBoundsException if the header does not fit
	 */
	public static int encodeHeader(int opcode, int payloadLength, byte[] target, int offset) {
		int length = headerLength(payloadLength, false);
		target[offset] = (byte) (0x80 | (opcode & 0x0F));
		if (length == 2) {
			target[offset + 1] = (byte) payloadLength;
			return length;
		}
		target[offset + 1] = (byte) ((length == 4) ? 126 : 127);
		for (int i = length - 1, value = payloadLength; i >= 2; i--, value >>>= 8) {
			target[offset + i] = (byte) value;
		}
		return length;
	}

	// Network byte order regardless of the order the caller configured on the buffer
	private static void putBigEndian(ByteBuffer target, long value, int bytes) {
		for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
			target.put((byte) (value >>> shift));
		}
	}

}

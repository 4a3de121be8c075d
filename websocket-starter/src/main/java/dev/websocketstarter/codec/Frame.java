package dev.websocketstarter.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket frame as defined by RFC 6455 section 5.2, without masking and with the
 * reserved bits cleared. Instances are immutable: the payload is copied on the way in and
 * on the way out.
 * <p>
 * Construction enforces the control frame rules of section 5.5: close, ping and pong
 * frames carry at most 125 payload bytes and are never fragmented.
 *
 * @param fin whether this is the final fragment of a message
 * @param opcode the frame opcode
 * @param payload the unmasked application data
 */
public record Frame(boolean fin, Opcode opcode, byte[] payload) {

	/**
	 * Largest payload of a control frame (RFC 6455 section 5.5).
	 */
	public static final int MAX_CONTROL_PAYLOAD = 125;

	private static final byte[] EMPTY = {};

	private static final int TO_STRING_PREVIEW = 16;

	/**
	 * Create a frame, validating the control frame rules.
	 * @param fin whether this is the final fragment of a message
	 * @param opcode the frame opcode
	 * @param payload the unmasked application data
	 * @throws IllegalArgumentException if a control frame has {@code fin} unset or a
	 * payload longer than 125 bytes
	 */
	public Frame {
		Objects.requireNonNull(opcode, "'opcode' must not be null");
		Objects.requireNonNull(payload, "'payload' must not be null");
		if (opcode.isControl()) {
			if (!fin) {
				throw new IllegalArgumentException(opcode + " frames must not be fragmented");
			}
			if (payload.length > MAX_CONTROL_PAYLOAD) {
				throw new IllegalArgumentException(opcode + " payload must be at most " + MAX_CONTROL_PAYLOAD
						+ " bytes but was " + payload.length);
			}
		}
		payload = payload.clone();
	}

	/**
	 * Return a copy of the unmasked application data.
	 * @return the payload
	 */
	@Override
	public byte[] payload() {
		return this.payload.clone();
	}

	/**
	 * Return the number of payload bytes.
	 * @return the payload length
	 */
	public int payloadLength() {
		return this.payload.length;
	}

	/**
	 * Create a single-frame text message.
	 * @param text the message
	 * @return the frame
	 * @throws IllegalArgumentException if the text holds an unpaired surrogate and so has
	 * no UTF-8 form
	 */
	public static Frame text(String text) {
		return new Frame(true, Opcode.TEXT, utf8(text));
	}

	/**
	 * Create a single-frame binary message.
	 * @param data the message payload
	 * @return the frame
	 */
	public static Frame binary(byte[] data) {
		return new Frame(true, Opcode.BINARY, data);
	}

	/**
	 * Create a continuation frame carrying a later fragment of a message (RFC 6455
	 * section 5.4).
	 * @param payload the fragment
	 * @param fin whether this is the final fragment
	 * @return the frame
	 */
	public static Frame continuation(byte[] payload, boolean fin) {
		return new Frame(fin, Opcode.CONTINUATION, payload);
	}

	/**
	 * Create a ping frame.
	 * @param payload the application data, at most 125 bytes
	 * @return the frame
	 * @throws IllegalArgumentException if the payload is longer than 125 bytes
	 */
	public static Frame ping(byte[] payload) {
		return new Frame(true, Opcode.PING, payload);
	}

	/**
	 * Create a pong frame.
	 * @param payload the application data, at most 125 bytes
	 * @return the frame
	 * @throws IllegalArgumentException if the payload is longer than 125 bytes
	 */
	public static Frame pong(byte[] payload) {
		return new Frame(true, Opcode.PONG, payload);
	}

	/**
	 * Create a close frame with a status code and a reason (RFC 6455 section 5.5.1).
	 * @param code a status code that is valid on the wire, see
	 * {@link CloseCodes#isValidOnWire(int)}
	 * @param reason the reason, at most 123 bytes once UTF-8 encoded
	 * @return the frame
	 * @throws IllegalArgumentException if the code may not be sent or the reason is too
	 * long or not encodable
	 */
	public static Frame close(int code, String reason) {
		if (!CloseCodes.isValidOnWire(code)) {
			throw new IllegalArgumentException("Close code " + code + " must not be sent on the wire");
		}
		byte[] encodedReason = utf8(reason);
		if (encodedReason.length > MAX_CONTROL_PAYLOAD - 2) {
			throw new IllegalArgumentException(
					"Close reason must be at most " + (MAX_CONTROL_PAYLOAD - 2) + " UTF-8 bytes");
		}
		byte[] body = new byte[encodedReason.length + 2];
		body[0] = (byte) (code >>> 8);
		body[1] = (byte) code;
		System.arraycopy(encodedReason, 0, body, 2, encodedReason.length);
		return new Frame(true, Opcode.CLOSE, body);
	}

	/**
	 * Create a close frame without a body, which the receiver reports as
	 * {@link CloseCodes#NO_STATUS}.
	 * @return the frame
	 */
	public static Frame close() {
		return new Frame(true, Opcode.CLOSE, EMPTY);
	}

	private static byte[] utf8(String text) {
		Objects.requireNonNull(text, "'text' must not be null");
		try {
			ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(text));
			byte[] bytes = new byte[encoded.remaining()];
			encoded.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("Text has no UTF-8 form (unpaired surrogate?)", ex);
		}
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return (obj instanceof Frame other) && this.fin == other.fin && this.opcode == other.opcode
				&& Arrays.equals(this.payload, other.payload);
	}

	@Override
	public int hashCode() {
		return 31 * Objects.hash(this.fin, this.opcode) + Arrays.hashCode(this.payload);
	}

	@Override
	public String toString() {
		StringBuilder hex = new StringBuilder();
		int shown = Math.min(this.payload.length, TO_STRING_PREVIEW);
		for (int i = 0; i < shown; i++) {
			hex.append((i != 0) ? " " : "").append(String.format("%02x", this.payload[i] & 0xFF));
		}
		if (shown < this.payload.length) {
			hex.append(" ...");
		}
		return "Frame[fin=" + this.fin + ", opcode=" + this.opcode + ", payload=" + this.payload.length + " bytes ["
				+ hex + "]]";
	}

}

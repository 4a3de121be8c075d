package dev.websocketstarter.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Incremental decoder that turns the bytes received on one WebSocket connection into
 * messages and control frames (RFC 6455 sections 5 and 6.2). Bytes may arrive in chunks
 * of any size that end anywhere in a frame; the decoder keeps its state between calls.
 * <p>
 * The decoder unmasks payloads, reassembles fragmented messages (section 5.4), delivers
 * control frames even between the fragments of a message, validates text as UTF-8 as it
 * arrives (section 8.1) and rejects every protocol violation with a
 * {@link WebSocketProtocolException} carrying the close code to send. No extension is
 * supported, so any reserved bit is an error. Once it has thrown, a decoder is failed and
 * refuses further input.
 * <p>
 * Memory use is bounded by {@link Settings#maxMessageSize()}: an oversized message is
 * rejected from its declared frame lengths before anything is allocated for it, and the
 * buffer for a message grows with the bytes that actually arrived.
 * <p>
 * Instances are not thread-safe; use one per connection.
 */
public final class FrameDecoder {

	// Largest array most JVMs will allocate
	private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private static final int MIN_GROWTH = 1024;

	// Larger message buffers are dropped after delivery rather than kept per connection
	private static final int RETAINED_CAPACITY = 8 * 1024;

	private static final byte[] EMPTY = {};

	private final boolean masked;

	private final long maxMessageSize;

	private State state = State.HEADER;

	// Header bytes: 2 fixed, up to 8 of extended length, up to 4 of masking key
	private final byte[] header = new byte[14];

	private int headerRead;

	private int extendedLengthBytes;

	private boolean fin;

	private Opcode opcode = Opcode.CONTINUATION;

	private boolean frameMasked;

	private long payloadLength;

	private long payloadRead;

	/**
	 * The payload of the control frame being read, made for each such frame at its length
	 * and handed to the listener: an idle connection keeps no buffer for the pings and
	 * closes it rarely gets, and empty ones, as pongs answering the server's pings are,
	 * take none.
	 */
	private byte[] controlPayload = EMPTY;

	private @Nullable Opcode messageOpcode;

	private byte[] message = EMPTY;

	private int messageLength;

	private final Utf8Validator textValidator = new Utf8Validator();

	/**
	 * Create a decoder.
	 * @param settings the masking rule and size limit to apply
	 */
	public FrameDecoder(Settings settings) {
		Objects.requireNonNull(settings, "'settings' must not be null");
		this.masked = settings.masked();
		this.maxMessageSize = Math.min(settings.maxMessageSize(), MAX_ARRAY_LENGTH);
	}

	/**
	 * Consume all remaining bytes of the input, calling the listener for each message and
	 * control frame that completes. Bytes of an incomplete frame are kept for the next
	 * call. Should the listener throw, the exception propagates, the input is left
	 * positioned after the frame just delivered and the decoder stays usable.
	 * @param input the received bytes, read from its position to its limit
	 * @param listener the listener to notify
	 * @throws WebSocketProtocolException if the bytes violate RFC 6455; the decoder is
	 * then failed
	 * @throws IllegalStateException if the decoder failed before
	 */
	public void decode(ByteBuffer input, FrameListener listener) {
		if (this.state == State.FAILED) {
			throw new IllegalStateException("Decoder failed on an earlier protocol error");
		}
		try {
			decodeFrames(input, listener);
		}
		catch (WebSocketProtocolException ex) {
			this.state = State.FAILED;
			this.message = EMPTY;
			throw ex;
		}
	}

	private void decodeFrames(ByteBuffer input, FrameListener listener) {
		while (true) {
			switch (this.state) {
				case HEADER -> {
					if (!fillHeader(input, 2)) {
						return;
					}
					onHeader();
					if (!this.fin && this.opcode != Opcode.CONTINUATION && !this.opcode.isControl()) {
						listener.onMessageStarted();
					}
				}
				case EXTENDED_LENGTH -> {
					if (!fillHeader(input, 2 + this.extendedLengthBytes)) {
						return;
					}
					onPayloadLength(readExtendedLength());
				}
				case MASKING_KEY -> {
					if (!fillHeader(input, maskKeyOffset() + 4)) {
						return;
					}
					this.state = State.PAYLOAD;
				}
				case PAYLOAD -> {
					if (!readPayload(input)) {
						return;
					}
					onFrameEnd(listener);
				}
				default -> throw new IllegalStateException("Unexpected state " + this.state);
			}
		}
	}

	private boolean fillHeader(ByteBuffer input, int target) {
		int count = Math.min(input.remaining(), target - this.headerRead);
		input.get(this.header, this.headerRead, count);
		this.headerRead += count;
		return this.headerRead == target;
	}

	private void onHeader() {
		int b0 = this.header[0] & 0xFF;
		int b1 = this.header[1] & 0xFF;
		if ((b0 & 0x70) != 0) {
			throw protocolError("Reserved bits set without a negotiated extension (RSV=" + ((b0 >> 4) & 7) + ")");
		}
		this.fin = (b0 & 0x80) != 0;
		this.opcode = Opcode.of(b0 & 0x0F);
		this.frameMasked = (b1 & 0x80) != 0;
		int length = b1 & 0x7F;
		if (this.opcode.isControl()) {
			if (!this.fin) {
				throw protocolError("Fragmented " + this.opcode + " frame");
			}
			if (length > Frame.MAX_CONTROL_PAYLOAD) {
				throw protocolError(this.opcode + " frame payload longer than " + Frame.MAX_CONTROL_PAYLOAD + " bytes");
			}
		}
		if (this.frameMasked != this.masked) {
			throw protocolError(this.masked ? "Unmasked frame from a client" : "Masked frame from a server");
		}
		if (this.opcode == Opcode.CONTINUATION) {
			if (this.messageOpcode == null) {
				throw protocolError("Continuation frame without a message to continue");
			}
		}
		else if (!this.opcode.isControl()) {
			if (this.messageOpcode != null) {
				throw protocolError("New " + this.opcode + " message while a fragmented " + this.messageOpcode
						+ " message is still open");
			}
			this.messageOpcode = this.opcode;
		}
		if (length == 126 || length == 127) {
			this.extendedLengthBytes = (length == 126) ? 2 : 8;
			this.state = State.EXTENDED_LENGTH;
		}
		else {
			this.extendedLengthBytes = 0;
			onPayloadLength(length);
		}
	}

	private long readExtendedLength() {
		long length = 0;
		for (int i = 2; i < 2 + this.extendedLengthBytes; i++) {
			length = (length << 8) | (this.header[i] & 0xFF);
		}
		if (length < 0) {
			throw protocolError("64-bit payload length with the most significant bit set");
		}
		return length;
	}

	private void onPayloadLength(long length) {
		if (!this.opcode.isControl() && length > this.maxMessageSize - this.messageLength) {
			throw new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG, "Message of at least "
					+ (this.messageLength + length) + " bytes exceeds the limit of " + this.maxMessageSize + " bytes");
		}
		this.payloadLength = length;
		this.payloadRead = 0;
		if (this.opcode.isControl()) {
			// At most 125 bytes: longer control frames failed in onHeader
			this.controlPayload = (length == 0) ? EMPTY : new byte[(int) length];
		}
		this.state = this.frameMasked ? State.MASKING_KEY : State.PAYLOAD;
	}

	private int maskKeyOffset() {
		return 2 + this.extendedLengthBytes;
	}

	private boolean readPayload(ByteBuffer input) {
		int count = (int) Math.min(input.remaining(), this.payloadLength - this.payloadRead);
		if (count > 0) {
			if (this.opcode.isControl()) {
				int offset = (int) this.payloadRead;
				input.get(this.controlPayload, offset, count);
				unmask(this.controlPayload, offset, count);
			}
			else {
				ensureMessageCapacity(this.messageLength + count);
				input.get(this.message, this.messageLength, count);
				unmask(this.message, this.messageLength, count);
				if (this.messageOpcode == Opcode.TEXT
						&& !this.textValidator.accept(this.message, this.messageLength, count)) {
					throw invalidPayload("Text message is not valid UTF-8");
				}
				this.messageLength += count;
			}
			this.payloadRead += count;
		}
		return this.payloadRead == this.payloadLength;
	}

	private void unmask(byte[] bytes, int offset, int count) {
		if (!this.frameMasked) {
			return;
		}
		int keyOffset = maskKeyOffset();
		long position = this.payloadRead;
		for (int i = 0; i < count; i++) {
			bytes[offset + i] ^= this.header[keyOffset + (int) ((position + i) & 3)];
		}
	}

	// Grows with the bytes received, never beyond what the current frame declared, so
	// a peer that announces a large frame and stalls costs little memory
	private void ensureMessageCapacity(int required) {
		if (required <= this.message.length) {
			return;
		}
		long declared = this.messageLength + (this.payloadLength - this.payloadRead);
		long doubled = Math.max((long) this.message.length * 2, MIN_GROWTH);
		int capacity = (int) Math.max(required, Math.min(doubled, declared));
		this.message = Arrays.copyOf(this.message, capacity);
	}

	private void onFrameEnd(FrameListener listener) {
		this.state = State.HEADER;
		this.headerRead = 0;
		if (this.opcode.isControl()) {
			onControlFrame(listener);
		}
		else if (this.fin) {
			onMessageEnd(listener);
		}
	}

	private void onControlFrame(FrameListener listener) {
		byte[] payload = this.controlPayload;
		this.controlPayload = EMPTY;
		switch (this.opcode) {
			case PING -> listener.onPing(payload);
			case PONG -> listener.onPong(payload);
			case CLOSE -> onClose(listener, payload);
			default -> throw new IllegalStateException("Unexpected control opcode " + this.opcode);
		}
	}

	private void onClose(FrameListener listener, byte[] payload) {
		int length = payload.length;
		if (length == 0) {
			listener.onClose(CloseCodes.NO_STATUS, "");
			return;
		}
		if (length == 1) {
			throw protocolError("Close frame body of 1 byte cannot hold a status code");
		}
		int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
		if (!CloseCodes.isValidOnWire(code)) {
			throw protocolError("Close code " + code + " is not allowed on the wire");
		}
		if (!Utf8Validator.isValid(payload, 2, length - 2)) {
			throw invalidPayload("Close reason is not valid UTF-8");
		}
		listener.onClose(code, new String(payload, 2, length - 2, StandardCharsets.UTF_8));
	}

	private void onMessageEnd(FrameListener listener) {
		Opcode type = this.messageOpcode;
		byte[] buffer = this.message;
		int length = this.messageLength;
		boolean textComplete = this.textValidator.isComplete();
		this.messageOpcode = null;
		this.messageLength = 0;
		this.textValidator.reset();
		if (type == Opcode.TEXT) {
			if (!textComplete) {
				throw invalidPayload("Text message ends inside a UTF-8 sequence");
			}
			if (buffer.length > RETAINED_CAPACITY) {
				this.message = EMPTY;
			}
			listener.onText(new String(buffer, 0, length, StandardCharsets.UTF_8), length);
			return;
		}
		byte[] data;
		if (length == buffer.length) {
			data = buffer;
			this.message = EMPTY;
		}
		else {
			data = Arrays.copyOf(buffer, length);
			if (buffer.length > RETAINED_CAPACITY) {
				this.message = EMPTY;
			}
		}
		listener.onBinary(data);
	}

	private static WebSocketProtocolException protocolError(String message) {
		return new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, message);
	}

	private static WebSocketProtocolException invalidPayload(String message) {
		return new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, message);
	}

	private enum State {

		HEADER, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD, FAILED

	}

	/**
	 * Rules a {@link FrameDecoder} applies to incoming frames.
	 *
	 * @param masked whether incoming frames must be masked ({@code true}, as a server
	 * receives them from clients) or must not be ({@code false}, as a client receives
	 * them from a server), per RFC 6455 section 5.1
	 * @param maxMessageSize the largest payload of a text or binary message, summed over
	 * all its fragments; larger messages fail with {@link CloseCodes#MESSAGE_TOO_BIG}.
	 * Values above the largest possible Java array are capped to it
	 */
	public record Settings(boolean masked, long maxMessageSize) {

		/**
		 * Create settings, validating the size limit.
		 * @param masked whether incoming frames must be masked
		 * @param maxMessageSize the largest message payload, not negative
		 * @throws IllegalArgumentException if the size limit is negative
		 */
		public Settings {
			if (maxMessageSize < 0) {
				throw new IllegalArgumentException("'maxMessageSize' must not be negative");
			}
		}

		/**
		 * Settings for a server, which requires masked frames from its clients.
		 * @param maxMessageSize the largest message payload
		 * @return the settings
		 */
		public static Settings forServer(long maxMessageSize) {
			return new Settings(true, maxMessageSize);
		}

		/**
		 * Settings for a client, which requires unmasked frames from the server.
		 * @param maxMessageSize the largest message payload
		 * @return the settings
		 */
		public static Settings forClient(long maxMessageSize) {
			return new Settings(false, maxMessageSize);
		}

	}

}

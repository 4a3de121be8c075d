package dev.websocketstarter.codec;

/**
 * Frame opcodes defined by RFC 6455 section 5.2. Values 3-7 and 11-15 are reserved and
 * have no constant.
 */
public enum Opcode {

	/**
	 * Continuation of a fragmented message (0x0).
	 */
	CONTINUATION(0x0),

	/**
	 * First (or only) frame of a UTF-8 text message (0x1).
	 */
	TEXT(0x1),

	/**
	 * First (or only) frame of a binary message (0x2).
	 */
	BINARY(0x2),

	/**
	 * Connection close control frame (0x8), RFC 6455 section 5.5.1.
	 */
	CLOSE(0x8),

	/**
	 * Ping control frame (0x9), RFC 6455 section 5.5.2.
	 */
	PING(0x9),

	/**
	 * Pong control frame (0xA), RFC 6455 section 5.5.3.
	 */
	PONG(0xA);

	private final int code;

	Opcode(int code) {
		this.code = code;
	}

	/**
	 * Return the 4-bit value of this opcode as it appears on the wire.
	 * @return the opcode value, 0-15
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Return whether this is a control opcode (close, ping or pong), which RFC 6455
	 * section 5.5 limits to unfragmented frames of at most 125 payload bytes.
	 * @return {@code true} for control opcodes
	 */
	public boolean isControl() {
		return (this.code & 0x8) != 0;
	}

	/**
	 * Return the opcode for the given wire value.
	 * @param code the 4-bit opcode value
	 * @return the matching opcode
	 * @throws WebSocketProtocolException with close code 1002 if the value is reserved or
	 * out of range
	 */
	public static Opcode of(int code) {
		return switch (code) {
			case 0x0 -> CONTINUATION;
			case 0x1 -> TEXT;
			case 0x2 -> BINARY;
			case 0x8 -> CLOSE;
			case 0x9 -> PING;
			case 0xA -> PONG;
			default -> throw new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR,
					"Reserved or invalid opcode 0x" + Integer.toHexString(code));
		};
	}

}

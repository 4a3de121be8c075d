package dev.websocketstarter.benchmarks.nio;

/**
 * The few pieces of RFC 6455 framing the relay needs, written out by hand: server frames
 * (final, unmasked), close frames, and unmasking client payloads in place.
 */
final class Frames {

	static final int CONTINUATION = 0x0;

	static final int TEXT = 0x1;

	static final int BINARY = 0x2;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	static final int PONG = 0xA;

	/** Status code 1002 (section 7.4.1). */
	static final int PROTOCOL_ERROR = 1002;

	/** Status code 1009. */
	static final int TOO_BIG = 1009;

	/** A close frame's payload has no status code. */
	static final int NO_CODE = -1;

	private Frames() {
	}

	/**
	 * One final, unmasked server frame holding {@code bytes[offset, offset + length)}.
	 */
	static byte[] server(int opcode, byte[] bytes, int offset, int length) {
		int header = (length < 126) ? 2 : (length <= 0xFFFF) ? 4 : 10;
		byte[] frame = new byte[header + length];
		frame[0] = (byte) (0x80 | opcode);
		if (header == 2) {
			frame[1] = (byte) length;
		}
		else if (header == 4) {
			frame[1] = 126;
			frame[2] = (byte) (length >>> 8);
			frame[3] = (byte) length;
		}
		else {
			frame[1] = 127;
			// An int's length leaves the first four of the eight length bytes zero
			for (int i = 0; i < 4; i++) {
				frame[9 - i] = (byte) (length >>> (8 * i));
			}
		}
		System.arraycopy(bytes, offset, frame, header, length);
		return frame;
	}

	/**
	 * A close frame with {@code code}, or with no payload for {@link #NO_CODE}.
	 */
	static byte[] close(int code) {
		if (code == NO_CODE) {
			return new byte[] { (byte) (0x80 | CLOSE), 0 };
		}
		return new byte[] { (byte) (0x80 | CLOSE), 2, (byte) (code >>> 8), (byte) code };
	}

	/**
	 * Whether a peer may send {@code code} in a close frame: the codes section 7.4
	 * defines for use on the wire, those IANA registered since, and the ranges for
	 * libraries and applications. 1005, 1006 and 1015 only ever stand for a missing code
	 * locally.
	 */
	static boolean isSendable(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

	/**
	 * Unmask {@code length} payload bytes at {@code from} with the 4-byte key at
	 * {@code keyAt}, in place (section 5.3).
	 */
	static void unmask(byte[] bytes, int keyAt, int from, int length) {
		for (int i = 0; i < length; i++) {
			bytes[from + i] ^= bytes[keyAt + (i & 3)];
		}
	}

}

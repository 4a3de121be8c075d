package dev.websocketstarter.benchmarks.load;

/**
 * The 100-byte ASCII message: {@code #}, then in 16 hex digits each the sequence number,
 * the time it was meant to be sent, the time it was sent (both {@link System#nanoTime()})
 * and the run it belongs to, then padding.
 */
final class Payload {

	static final int SIZE = 100;

	private static final int SEQUENCE = 1;

	private static final int INTENDED = 17;

	private static final int SENT = 33;

	private static final int RUN = 49;

	private static final int HEADER = 65;

	private static final byte[] HEX = "0123456789abcdef".getBytes();

	private Payload() {
	}

	static byte[] create(long run, long sequence, long intendedNanos, long sentNanos) {
		byte[] payload = new byte[SIZE];
		payload[0] = '#';
		writeHex(payload, SEQUENCE, sequence);
		writeHex(payload, INTENDED, intendedNanos);
		writeHex(payload, SENT, sentNanos);
		writeHex(payload, RUN, run);
		for (int i = HEADER; i < SIZE; i++) {
			payload[i] = '.';
		}
		return payload;
	}

	private static void writeHex(byte[] target, int offset, long value) {
		for (int i = 15; i >= 0; i--) {
			target[offset + i] = HEX[(int) (value & 0xF)];
			value >>>= 4;
		}
	}

	/**
	 * Whether a payload starts at {@code offset}.
	 */
	static boolean isAt(byte[] source, int offset, int end) {
		return end - offset >= HEADER && source[offset] == '#';
	}

	static long sequence(byte[] source, int offset) {
		return readHex(source, offset + SEQUENCE);
	}

	static long intendedNanos(byte[] source, int offset) {
		return readHex(source, offset + INTENDED);
	}

	static long sentNanos(byte[] source, int offset) {
		return readHex(source, offset + SENT);
	}

	static long run(byte[] source, int offset) {
		return readHex(source, offset + RUN);
	}

	private static long readHex(byte[] source, int offset) {
		long value = 0;
		for (int i = 0; i < 16; i++) {
			int c = source[offset + i];
			value = (value << 4) | ((c <= '9') ? c - '0' : c - 'a' + 10);
		}
		return value;
	}

}

package dev.websocketstarter.benchmarks.load;

/**
 * The 100-byte ASCII message: {@code #}, the sequence number and the send time
 * ({@link System#nanoTime()}) in 16 hex digits each, then padding.
 */
final class Payload {

	static final int SIZE = 100;

	private static final byte[] HEX = "0123456789abcdef".getBytes();

	private Payload() {
	}

	static byte[] create(long sequence, long sentNanos) {
		byte[] payload = new byte[SIZE];
		payload[0] = '#';
		writeHex(payload, 1, sequence);
		writeHex(payload, 17, sentNanos);
		for (int i = 33; i < SIZE; i++) {
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
		return end - offset >= 33 && source[offset] == '#';
	}

	static long sequence(byte[] source, int offset) {
		return readHex(source, offset + 1);
	}

	static long sentNanos(byte[] source, int offset) {
		return readHex(source, offset + 17);
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

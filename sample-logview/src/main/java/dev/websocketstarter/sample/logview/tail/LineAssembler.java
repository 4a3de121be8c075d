package dev.websocketstarter.sample.logview.tail;

import java.nio.charset.StandardCharsets;

/**
 * Collects the bytes of one line, possibly across reads and polls, keeping at most
 * {@code maxLineLength} of them and counting the rest.
 */
final class LineAssembler {

	private static final byte CR = '\r';

	private final byte[] kept;

	private int length;

	private long cut;

	private byte last;

	LineAssembler(int maxLineLength) {
		this.kept = new byte[maxLineLength];
	}

	void append(byte[] bytes, int offset, int count) {
		if (count <= 0) {
			return;
		}
		int copied = Math.min(this.kept.length - this.length, count);
		System.arraycopy(bytes, offset, this.kept, this.length, copied);
		this.length += copied;
		this.cut += count - copied;
		this.last = bytes[offset + count - 1];
	}

	boolean isEmpty() {
		return this.length == 0 && this.cut == 0;
	}

	/**
	 * Returns how many bytes the line keeps once {@code more} bytes are appended.
	 */
	int keptLength(int more) {
		return (int) Math.min(this.kept.length, (long) this.length + more);
	}

	/**
	 * Decodes the line (UTF-8, invalid bytes replaced), without a final {@code \r}, with
	 * a marker when it was cut, and starts the next one.
	 */
	String take() {
		int end = this.length;
		long dropped = this.cut;
		if (dropped == 0 && end > 0 && this.kept[end - 1] == CR) {
			end--;
		}
		else if (dropped > 0 && this.last == CR) {
			dropped--;
		}
		if (dropped > 0) {
			int boundary = characterBoundary(this.kept, end);
			dropped += end - boundary;
			end = boundary;
		}
		String line = new String(this.kept, 0, end, StandardCharsets.UTF_8);
		reset();
		if (dropped == 0) {
			return line;
		}
		return line + " … [cut " + dropped + ((dropped == 1) ? " byte]" : " bytes]");
	}

	void reset() {
		this.length = 0;
		this.cut = 0;
		this.last = 0;
	}

	/**
	 * Moves a cut back to the start of a UTF-8 sequence it would split, so that a cut
	 * line does not end in a replacement character.
	 */
	private static int characterBoundary(byte[] bytes, int end) {
		int lead = end - 1;
		while (lead >= 0 && end - lead <= 3 && (bytes[lead] & 0xC0) == 0x80) {
			lead--;
		}
		if (lead < 0) {
			return end;
		}
		int first = bytes[lead] & 0xFF;
		int sequenceLength = (first >= 0xF0) ? 4 : (first >= 0xE0) ? 3 : (first >= 0xC0) ? 2 : 1;
		return (end - lead < sequenceLength) ? lead : end;
	}

}

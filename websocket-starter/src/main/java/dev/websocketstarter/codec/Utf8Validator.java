package dev.websocketstarter.codec;

/**
 * Incremental UTF-8 well-formedness check (Unicode table 3-7), so that text can be
 * validated fragment by fragment and rejected as soon as an invalid byte arrives, as RFC
 * 6455 section 8.1 asks. Rejects overlong forms, UTF-8 encoded surrogates and code points
 * above U+10FFFF.
 */
final class Utf8Validator {

	private static final int CONTINUATION_MIN = 0x80;

	private static final int CONTINUATION_MAX = 0xBF;

	private int pending;

	private int lower = CONTINUATION_MIN;

	private int upper = CONTINUATION_MAX;

	/**
	 * Check the next bytes of the text.
	 * @param bytes the buffer holding the bytes
	 * @param offset the index of the first byte
	 * @param length the number of bytes
	 * @return {@code false} as soon as the bytes seen so far cannot start a well-formed
	 * sequence
	 */
	boolean accept(byte[] bytes, int offset, int length) {
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			int b = bytes[i] & 0xFF;
			if (this.pending == 0) {
				if (b < 0x80) {
					continue;
				}
				if (!start(b)) {
					return false;
				}
			}
			else {
				if (b < this.lower || b > this.upper) {
					return false;
				}
				this.lower = CONTINUATION_MIN;
				this.upper = CONTINUATION_MAX;
				this.pending--;
			}
		}
		return true;
	}

	// The second byte of some lead bytes has a narrower range, which is what excludes
	// overlongs (E0, F0), surrogates (ED) and code points above U+10FFFF (F4)
	private boolean start(int lead) {
		if (lead >= 0xC2 && lead <= 0xDF) {
			this.pending = 1;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			this.pending = 2;
			if (lead == 0xE0) {
				this.lower = 0xA0;
			}
			else if (lead == 0xED) {
				this.upper = 0x9F;
			}
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			this.pending = 3;
			if (lead == 0xF0) {
				this.lower = 0x90;
			}
			else if (lead == 0xF4) {
				this.upper = 0x8F;
			}
		}
		else {
			return false;
		}
		return true;
	}

	/**
	 * Return whether the bytes accepted so far end on a character boundary.
	 * @return {@code true} if no multi-byte sequence is open
	 */
	boolean isComplete() {
		return this.pending == 0;
	}

	/**
	 * Forget all bytes seen so far, to start a new text.
	 */
	void reset() {
		this.pending = 0;
		this.lower = CONTINUATION_MIN;
		this.upper = CONTINUATION_MAX;
	}

	/**
	 * Return whether the given bytes are well-formed UTF-8 on their own.
	 * @param bytes the buffer holding the bytes
	 * @param offset the index of the first byte
	 * @param length the number of bytes
	 * @return {@code true} if well-formed
	 */
	static boolean isValid(byte[] bytes, int offset, int length) {
		Utf8Validator validator = new Utf8Validator();
		return validator.accept(bytes, offset, length) && validator.isComplete();
	}

}

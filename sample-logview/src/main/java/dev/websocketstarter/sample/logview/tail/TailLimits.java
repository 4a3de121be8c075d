package dev.websocketstarter.sample.logview.tail;

/**
 * Limits of one tail.
 *
 * @param maxLinesPerPoll the most lines one {@link FileTail#poll()} returns
 * @param maxBytesPerPoll the most bytes of line data one poll returns, each line counting
 * its kept bytes plus one for its end
 * @param maxLineLength the most bytes of a line, before decoding, that are kept; a longer
 * line is cut with a marker saying how many bytes were dropped
 * @param skipAfterBytes when more than this many bytes are unread, the tail jumps ahead
 * to the last {@code maxBytesPerPoll} bytes and reports how many lines it jumped over
 */
public record TailLimits(int maxLinesPerPoll, int maxBytesPerPoll, int maxLineLength, long skipAfterBytes) {

	/**
	 * Checks that the limits fit together.
	 * @throws IllegalArgumentException naming the limit that is out of range
	 */
	public TailLimits {
		requirePositive("maxLinesPerPoll", maxLinesPerPoll);
		requirePositive("maxBytesPerPoll", maxBytesPerPoll);
		requirePositive("maxLineLength", maxLineLength);
		if (maxLineLength >= maxBytesPerPoll) {
			throw new IllegalArgumentException(
					"maxLineLength (" + maxLineLength + ") must be less than maxBytesPerPoll (" + maxBytesPerPoll
							+ ") so that every line fits in a poll");
		}
		if (skipAfterBytes < maxBytesPerPoll) {
			throw new IllegalArgumentException("skipAfterBytes (" + skipAfterBytes
					+ ") must be at least maxBytesPerPoll (" + maxBytesPerPoll + ")");
		}
	}

	/**
	 * Limits for ordinary log files: 1000 lines and 256 KiB per poll, lines cut after 16
	 * KiB, and a jump ahead when more than 8 MiB are unread.
	 * @return the default limits
	 */
	public static TailLimits defaults() {
		return new TailLimits(1000, 256 * 1024, 16 * 1024, 8L * 1024 * 1024);
	}

	private static void requirePositive(String name, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + " must be positive, not " + value);
		}
	}

}

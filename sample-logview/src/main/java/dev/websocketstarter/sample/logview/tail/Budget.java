package dev.websocketstarter.sample.logview.tail;

/**
 * What is left of the per-poll limits.
 */
final class Budget {

	private int lines;

	private int bytes;

	Budget(TailLimits limits) {
		this.lines = limits.maxLinesPerPoll();
		this.bytes = limits.maxBytesPerPoll();
	}

	boolean allows(int lineBytes) {
		return this.lines > 0 && this.bytes >= lineBytes;
	}

	void use(int lineBytes) {
		this.lines--;
		this.bytes -= lineBytes;
	}

}

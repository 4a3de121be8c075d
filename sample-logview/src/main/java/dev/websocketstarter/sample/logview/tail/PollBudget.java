package dev.websocketstarter.sample.logview.tail;

/**
 * What is left of one poll's limits on lines and bytes.
 */
final class PollBudget {

	private int lines;

	private int bytes;

	PollBudget(TailLimits limits) {
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

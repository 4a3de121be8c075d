package dev.websocketstarter.benchmarks;

/**
 * What holding idle connections measured.
 *
 * @param opened connections opened after the baseline
 * @param held connections open at the end, the warm ones included
 */
record IdleRun(int opened, int held, double handshakesPerSecond, long rssBefore, long rssAfter, long heapBefore,
		long heapAfter) {

	double rssPerConnection() {
		return (this.opened > 0) ? (double) (this.rssAfter - this.rssBefore) / this.opened : Double.NaN;
	}

	double heapPerConnection() {
		return (this.opened > 0) ? (this.heapAfter - this.heapBefore) / 1024.0 / this.opened : Double.NaN;
	}

}

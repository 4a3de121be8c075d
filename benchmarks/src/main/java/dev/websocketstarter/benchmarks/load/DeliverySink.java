package dev.websocketstarter.benchmarks.load;

/**
 * Receives every relayed message a subscriber got, on an I/O thread.
 */
interface DeliverySink {

	void delivered(long sequence, long sentNanos, long receivedNanos);

	/**
	 * A sink that keeps nothing.
	 */
	DeliverySink NONE = (sequence, sentNanos, receivedNanos) -> {
	};

}

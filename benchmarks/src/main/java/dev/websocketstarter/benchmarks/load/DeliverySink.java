package dev.websocketstarter.benchmarks.load;

/**
 * Receives every relayed message a subscriber got, on an I/O thread.
 */
interface DeliverySink {

	/**
	 * One message received.
	 * @param run the run whose publisher sent it
	 * @param sequence its number in that run, from 0
	 * @param intendedNanos when the publisher was meant to send it: the schedule's time
	 * at a fixed rate, the send time in a closed loop
	 * @param sentNanos when the publisher sent it
	 * @param receivedNanos when the subscriber read it
	 */
	void delivered(long run, long sequence, long intendedNanos, long sentNanos, long receivedNanos);

	/**
	 * A sink that keeps nothing.
	 */
	DeliverySink NONE = (run, sequence, intendedNanos, sentNanos, receivedNanos) -> {
	};

}
